/**
 * The order tracker page (packages/web) as an S3 bucket behind CloudFront. The page is built with
 * the edge's order API URL and callback WebSocket URL: SST runs the build with
 * API_URL="{{ API_URL }}" and WEBSOCKET_URL="{{ WEBSOCKET_URL }}" and, once the stage exists,
 * replaces those placeholders in the uploaded index.html and *.js files with the real URLs. The
 * hashed name of app.js is taken with the placeholders in it: it stays truthful while a stage's URLs
 * stay the same, which they do until EDGE_DOMAIN is set or changed (then a browser may keep the
 * cached script with the old URLs: docs/deploy-and-operate.md, "The edge"). Every response carries
 * core's SiteHeaders, as a CloudFront response headers policy.
 */
import { Duration, Fn } from "aws-cdk-lib";
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
} from "aws-cdk-lib/aws-cloudfront";
import { StaticSite, use, type StackContext } from "sst/constructs";
import * as SiteHeaders from "@awsomepets/core/platform/site-headers";
import { Callbacks } from "./Callbacks";
import { Orders } from "./Orders";
import { retainLogsOfEveryFunction } from "./operations";
import { suppressNagFindings, WEB_STACK_SUPPRESSIONS } from "./nag";

export const SITE_PATH = "packages/web";

/**
 * `scheme://host` of a URL that is a CloudFormation token at synth (`wss://id.execute-api…/stage` →
 * `wss://id.execute-api…`).
 */
const tokenOrigin = (url: string) => {
  const [scheme, rest] = [Fn.select(0, Fn.split("//", url)), Fn.select(1, Fn.split("//", url))];
  return Fn.join("", [scheme, "//", Fn.select(0, Fn.split("/", rest))]);
};

/**
 * Core's header map as CloudFront's security headers (whose values CloudFront spells as enums and
 * numbers); a header CloudFront has no field for is sent as a custom header. Anything this cannot
 * express exactly fails the synth rather than deploying other headers than `npm start` sends.
 */
export function cloudFrontHeaders(headers: Record<string, string>) {
  const {
    "content-security-policy": csp,
    "strict-transport-security": hsts,
    "x-content-type-options": nosniff,
    "x-frame-options": frame,
    "referrer-policy": referrer,
    ...custom
  } = headers;
  const hstsMatch = /^max-age=(\d+)(; includeSubDomains)?$/.exec(hsts ?? "");
  if (
    !csp ||
    !hstsMatch ||
    nosniff !== "nosniff" ||
    !Object.values(HeadersFrameOption).includes(frame as HeadersFrameOption) ||
    !Object.values(HeadersReferrerPolicy).includes(referrer as HeadersReferrerPolicy)
  ) {
    throw new Error(`stacks/Web.ts: CloudFront cannot send these site headers as given: ${JSON.stringify(headers)}`);
  }
  const security: ResponseSecurityHeadersBehavior = {
    contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
    strictTransportSecurity: {
      accessControlMaxAge: Duration.seconds(Number(hstsMatch[1])),
      includeSubdomains: !!hstsMatch[2],
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: frame as HeadersFrameOption, override: true },
    referrerPolicy: { referrerPolicy: referrer as HeadersReferrerPolicy, override: true },
  };
  return { security, custom: Object.entries(custom).map(([header, value]) => ({ header, value, override: true })) };
}

export function Web({ stack }: StackContext) {
  const { edge } = use(Orders);
  const { operations } = use(Callbacks);
  retainLogsOfEveryFunction(stack, operations);

  // Where the page talks to, in one place: the build gets these URLs, the CSP allows their origins only.
  // Both through the edge (stacks/edge.ts), where each client's requests are limited.
  const urls = { api: edge.httpUrl, websocket: edge.webSocketUrl };
  const { security, custom } = cloudFrontHeaders(
    SiteHeaders.siteHeaders({ api: tokenOrigin(urls.api), websocket: tokenOrigin(urls.websocket) }),
  );
  const headersPolicy = new ResponseHeadersPolicy(stack, "OrderTrackerSiteHeaders", {
    comment: "Order tracker page: core's SiteHeaders (CSP, HSTS, nosniff, framing, referrer)",
    securityHeadersBehavior: security,
    ...(custom.length > 0 ? { customHeadersBehavior: { customHeaders: custom } } : {}),
  });

  const site = new StaticSite(stack, "OrderTrackerSite", {
    path: SITE_PATH,
    // Runs in SITE_PATH; the repository's tsx, so the build needs nothing installed globally.
    // Content-hashed script and stylesheet names: SST uploads *.js and *.css as cacheable for a year,
    // so a redeploy must change their names (index.html, which loads them, is never cached).
    buildCommand: "../../node_modules/.bin/tsx build.ts --out dist --hash-names",
    buildOutput: "dist",
    environment: { API_URL: urls.api, WEBSOCKET_URL: urls.websocket },
    errorPage: "redirect_to_index_page",
    assets: { fileOptions: [{ files: "**/*.html", cacheControl: "no-cache,no-store,must-revalidate,max-age=0" }] },
    cdk: {
      bucket: { enforceSSL: true },
      // SST spreads this into the one behavior it builds (and the error pages it serves go through it too).
      distribution: { defaultBehavior: { responseHeadersPolicy: headersPolicy } },
    },
  });
  suppressNagFindings(stack, WEB_STACK_SUPPRESSIONS);

  stack.addOutputs({ SiteUrl: site.url });
  return { site };
}
