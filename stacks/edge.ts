/**
 * The edge: a CloudFront distribution in front of each API (the order API, the WebSocket API) and one
 * AWS WAF web ACL on both, whose rate-based rules limit each source address (`Topology.EDGE_RULES`,
 * tunables `EDGE_*_PER_ADDRESS`). WAF attaches to CloudFront but not to HTTP or WebSocket APIs; the
 * stage throttles stay the total behind it. In short: a refusal is `Topology.EDGE_REFUSAL` (429, JSON),
 * never WAF's 403; no log keeps a token (CloudFront access logs and WAF's sampled requests off, WAF's
 * log redacting the query string and Authorization); nothing cached, every viewer header but Host
 * forwarded; a secret origin header (`OriginVerify.HEADER`) so a client going around the edge skips
 * nothing; IPv4 only to the viewer. Design, evidence and what stays open:
 * docs/decisions/per-client-limits-at-the-edge.md ("Decision", "Logs", "Closing the way around the edge").
 */
import { ArnFormat, CfnOutput, Fn, Lazy, Stack } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnLoggingConfiguration, CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { NagSuppressions } from "cdk-nag";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import type * as Tunables from "@awsomepets/core/platform/tunables";
import { EDGE_DISTRIBUTION_SUPPRESSIONS } from "./nag";

/** A stage's own domain for the edge: the distributions answer at `api.` and `ws.` under it. */
export type EdgeDomain = { domainName: string; certificateArn: string };

/** The names under a stage's domain: the edge's, and the APIs' own custom domains CloudFront calls. */
export const edgeHostNames = (domain: string) => ({
  api: `api.${domain}`,
  ws: `ws.${domain}`,
  apiOrigin: `api-origin.${domain}`,
  wsOrigin: `ws-origin.${domain}`,
});

/** `EDGE_DOMAIN` and `EDGE_CERTIFICATE_ARN` at deploy: both or neither (a half-set pair stops the synth). */
export function edgeDomainOf(env: Record<string, string | undefined>): EdgeDomain | undefined {
  const domainName = env[Topology.DEPLOY_ENV.edgeDomain] || undefined;
  const certificateArn = env[Topology.DEPLOY_ENV.edgeCertificateArn] || undefined;
  if (!domainName && !certificateArn) return undefined;
  if (!domainName || !certificateArn) {
    throw new Error(
      `${Topology.DEPLOY_ENV.edgeDomain} and ${Topology.DEPLOY_ENV.edgeCertificateArn} are set together or not at all`,
    );
  }
  if (!/^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/.test(domainName))
    throw new Error(`${Topology.DEPLOY_ENV.edgeDomain}="${domainName}" is not a domain name`);
  // CloudFront takes certificates from us-east-1 only; the APIs' regional custom domains from their own region
  // (us-east-1 too).
  if (!/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)) {
    throw new Error(
      `${Topology.DEPLOY_ENV.edgeCertificateArn} must be an ACM certificate in us-east-1 covering *.${domainName}, got "${certificateArn}"`,
    );
  }
  return { domainName, certificateArn };
}

/** The custom response's key in the web ACL. */
const REFUSAL_BODY_KEY = "TooManyRequests";

function scopeDown(scope: Topology.EdgeScope): CfnWebACL.StatementProperty | undefined {
  const exactly = (
    fieldToMatch: CfnWebACL.FieldToMatchProperty,
    searchString: string,
    lowercase = false,
  ): CfnWebACL.StatementProperty => ({
    byteMatchStatement: {
      fieldToMatch,
      searchString,
      positionalConstraint: "EXACTLY",
      textTransformations: [{ priority: 0, type: lowercase ? "LOWERCASE" : "NONE" }],
    },
  });
  if (scope === "all") return undefined;
  if ("upgrade" in scope) return exactly({ singleHeader: { Name: "upgrade" } }, scope.upgrade, true);
  return exactly({ method: {} }, scope.method);
}

export type EdgeProps = {
  rules: Tunables.EdgeRules;
  /** The order API's origin: its execute-api host, or its custom domain's when the stage has one. */
  httpOrigin: string;
  /**
   * The WebSocket API's origin, and the path its stage answers at there (`/<stage>` on execute-api, "" on a custom
   * domain).
   */
  webSocketOrigin: string;
  webSocketPath: string;
  /**
   * What both distributions add to every origin request, and the APIs' functions check (core's
   * platform/origin-verify.ts).
   */
  originVerify: string;
  domain?: EdgeDomain;
  logRetention: RetentionDays;
};

export class Edge extends Construct {
  readonly webAcl: CfnWebACL;
  readonly api: Distribution;
  readonly webSocket: Distribution;
  /** What the page calls, `https://…` with no trailing slash. */
  readonly httpUrl: string;
  /** The base of every `clientCallbackUrl`, `wss://…/<stage>` (or `wss://ws.<domain>`). */
  readonly webSocketUrl: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    // A CLOUDFRONT-scoped web ACL must be created in us-east-1 (sst.config.ts's region).
    if (!Stack.of(this).region.startsWith("us-east-1") && !Stack.of(this).region.startsWith("${")) {
      throw new Error(`The edge's web ACL (scope CLOUDFRONT) must be in us-east-1, not ${Stack.of(this).region}`);
    }
    const { rules } = props;
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      customResponseBodies: {
        [REFUSAL_BODY_KEY]: { contentType: "APPLICATION_JSON", content: Topology.EDGE_REFUSAL.body },
      },
      // Sampled requests show whole requests (a callback link's token) in the console: off.
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "Edge", sampledRequestsEnabled: false },
      rules: (Object.entries(rules) as [Topology.EdgeRuleName, Topology.EdgeRule][]).map(([name, rule], priority) => {
        const narrowed = scopeDown(rule.scope);
        return {
          name,
          priority,
          statement: {
            rateBasedStatement: {
              limit: rule.limit,
              evaluationWindowSec: rule.windowSeconds,
              aggregateKeyType: "IP",
              ...(narrowed && { scopeDownStatement: narrowed }),
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: Topology.EDGE_REFUSAL.statusCode,
                customResponseBodyKey: REFUSAL_BODY_KEY,
                responseHeaders: Object.entries(Topology.EDGE_REFUSAL.headers).map(([name, value]) => ({
                  name,
                  value,
                })),
              },
            },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: false },
        };
      }),
    });

    // WAF's log is the access log that keeps the viewer's address; the token never reaches it.
    // (CloudWatch Logs destinations of WAF must be named aws-waf-logs-*.)
    const wafLogs = new LogGroup(this, "WafLogs", {
      logGroupName: `aws-waf-logs-${Fn.select(2, Fn.split("/", Stack.of(this).stackId))}`,
      retention: props.logRetention,
    });
    new CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: "logs",
          resource: "log-group",
          resourceName: wafLogs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ queryString: {} }, { singleHeader: { Name: "authorization" } }],
    });

    const domain = props.domain;
    const names = domain ? edgeHostNames(domain.domainName) : undefined;
    const certificate = domain ? Certificate.fromCertificateArn(this, "Certificate", domain.certificateArn) : undefined;
    const distribution = (id: string, origin: string, host: string | undefined, comment: string) =>
      new Distribution(this, id, {
        comment,
        defaultBehavior: {
          // The proof a request came through here (and its web ACL): CloudFront adds it to the
          // request it sends the origin, after WAF inspected the viewer's, so WAF's log never holds
          // it; a request that goes around the edge lacks it, and a client cannot know its value.
          origin: new HttpOrigin(origin, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            customHeaders: { [OriginVerify.HEADER]: props.originVerify },
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
        webAclId: this.webAcl.attrArn,
        // Access logs record query strings (a callback link's token): off; WAF's log keeps the viewer's address.
        enableLogging: false,
        // IPv4 only: WAF's rate-based rules count each IPv6 address apart, and a client is given a
        // whole /64 (2^64 addresses), so over IPv6 one client could be as many "addresses" as it likes.
        enableIpv6: false,
        // North America and Europe: the least per-request price; viewers elsewhere are served from there.
        priceClass: PriceClass.PRICE_CLASS_100,
        ...(host &&
          certificate && {
            domainNames: [host],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
      });
    this.api = distribution(
      "Api",
      props.httpOrigin,
      names?.api,
      "Order API, rate-limited per address by the edge web ACL",
    );
    this.webSocket = distribution(
      "WebSocket",
      props.webSocketOrigin,
      names?.ws,
      "Order callbacks WebSocket API, rate-limited per address by the edge web ACL",
    );
    for (const each of [this.api, this.webSocket])
      NagSuppressions.addResourceSuppressions(each, EDGE_DISTRIBUTION_SUPPRESSIONS(domain !== undefined));
    // A token even when the domain is known: SST then builds the page with its `{{ API_URL }}`
    // placeholder and replaces it at upload, as for every other stage (stacks/Web.ts).
    this.httpUrl = names
      ? Lazy.string({ produce: () => `https://${names.api}` })
      : `https://${this.api.distributionDomainName}`;
    // Lazy as httpUrl: with a domain both are plain strings, and the page's build would then bake one in
    // and leave the other a placeholder; one way for both keeps the build output the same for every stage.
    this.webSocketUrl = names
      ? Lazy.string({ produce: () => `wss://${names.ws}${props.webSocketPath}` })
      : `wss://${this.webSocket.distributionDomainName}${props.webSocketPath}`;

    new CfnOutput(Stack.of(this), "EdgeApiUrl", {
      value: this.httpUrl,
      description: "The order API through the edge (what the page calls)",
    });
    new CfnOutput(Stack.of(this), "EdgeWebSocketUrl", {
      value: this.webSocketUrl,
      description: "The WebSocket API through the edge (the base of every clientCallbackUrl)",
    });
    new CfnOutput(Stack.of(this), "EdgeWebAclArn", { value: this.webAcl.attrArn });
    if (names) {
      new CfnOutput(Stack.of(this), "EdgeDnsApi", {
        value: `${names.api} CNAME ${this.api.distributionDomainName}`,
        description: "DNS record to create",
      });
      new CfnOutput(Stack.of(this), "EdgeDnsWebSocket", {
        value: `${names.ws} CNAME ${this.webSocket.distributionDomainName}`,
        description: "DNS record to create",
      });
    }
  }
}
