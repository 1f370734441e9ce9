/**
 * The Web stack as CloudFormation (stages `dev` and `prod`, synthesized offline): the order tracker
 * page in a private bucket behind CloudFront, built during synthesis with SST's `{{ API_URL }}` and
 * `{{ WEBSOCKET_URL }}` placeholders, which the upload replaces with the stage's URLs; every response
 * with core's SiteHeaders, as a response headers policy.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it, inject } from "vitest";
import * as SiteHeaders from "@awsomepets/core/platform/site-headers";
import { hashedName } from "../../packages/web/build";
import { resourcesOfType } from "./template";

const STAGE = "dev";
const SITE_OUTPUT = path.resolve("packages/web/dist");
const PLACEHOLDER = "{{ API_URL }}";
const WEBSOCKET_PLACEHOLDER = "{{ WEBSOCKET_URL }}";

function webTemplate(stage: string) {
  const dir = path.join(inject("synthDir"), stage);
  const file = readdirSync(dir).find((f) => f.endsWith("-Web.json"));
  if (!file) throw new Error(`No Web stack among ${readdirSync(dir)} (is stacks/Web.ts in sst.config.ts?)`);
  return JSON.parse(readFileSync(path.join(dir, file), "utf8"));
}

let template: Template;
let raw: any;
beforeAll(() => {
  raw = webTemplate(STAGE);
  template = Template.fromJSON(raw);
});

describe("OrderTrackerSite", () => {
  it("keeps the page in a bucket closed to the public, emptied and deleted with a dev stage", () => {
    template.resourceCountIs("AWS::S3::Bucket", 1);
    template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Delete",
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    template.resourceCountIs("Custom::S3AutoDeleteObjects", 1);
  });

  it("serves it through CloudFront over HTTPS, index.html at the root, from that bucket", () => {
    const [[bucketId]] = resourcesOfType(raw, "AWS::S3::Bucket") as [[string, unknown]];
    template.resourceCountIs("AWS::CloudFront::Distribution", 1);
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: "index.html",
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
        Origins: [Match.objectLike({ DomainName: { "Fn::GetAtt": [bucketId, "RegionalDomainName"] } })],
      }),
    });
    expect(raw.Outputs.SiteUrl.Value).toEqual({
      "Fn::Join": [
        "",
        ["https://", { "Fn::GetAtt": [expect.stringMatching(/^OrderTrackerSiteDistribution/), "DomainName"] }],
      ],
    });
  });

  it("uploads the build and has the placeholder replaced with the Orders stack's API URL in the HTML and JS", () => {
    const uploaders = resourcesOfType(raw, "Custom::S3Uploader");
    expect(uploaders).toHaveLength(1);
    const [, uploader] = uploaders[0]!;
    expect(uploader.Properties.sources).toEqual([
      { bucketName: expect.any(String), objectKey: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) },
    ]);
    // The order API through the edge (stacks/edge.ts): its distribution's domain.
    const apiUrl = {
      "Fn::Join": ["", ["https://", { "Fn::ImportValue": expect.stringMatching(/-Orders:.*EdgeApi.*DomainName/) }]],
    };
    const websocketUrl = {
      "Fn::Join": [
        "",
        ["wss://", { "Fn::ImportValue": expect.stringMatching(/-Orders:.*EdgeWebSocket.*DomainName/) }, `/${STAGE}`],
      ],
    };
    expect(uploader.Properties.replaceValues).toEqual([
      { files: "**/*.html", search: PLACEHOLDER, replace: apiUrl },
      { files: "**/*.js", search: PLACEHOLDER, replace: apiUrl },
      { files: "**/*.html", search: WEBSOCKET_PLACEHOLDER, replace: websocketUrl },
      { files: "**/*.js", search: WEBSOCKET_PLACEHOLDER, replace: websocketUrl },
    ]);
  });

  it("ran the page build during synthesis, leaving the placeholder as one string literal SST can replace", () => {
    const files = readdirSync(SITE_OUTPUT).sort();
    expect(files).toEqual([
      expect.stringMatching(/^app\.[0-9a-f]{12}\.js$/),
      "index.html",
      expect.stringMatching(/^styles\.[0-9a-f]{12}\.css$/),
    ]);
    const js = readFileSync(path.join(SITE_OUTPUT, files[0]!), "utf8");
    expect(js.split(`"${PLACEHOLDER}"`)).toHaveLength(2);
    expect(js.split(`"${WEBSOCKET_PLACEHOLDER}"`)).toHaveLength(2);
  });

  it("names the script and stylesheet after their content, loads those from index.html, and never caches index.html", () => {
    // Prepare
    const files = readdirSync(SITE_OUTPUT);
    const html = readFileSync(path.join(SITE_OUTPUT, "index.html"), "utf8");
    const [, uploader] = resourcesOfType(raw, "Custom::S3Uploader")[0]!;
    // Assess: each hashed name is the hash of what it holds, and the page loads exactly those
    for (const file of files.filter((f) => f !== "index.html")) {
      const [base, , ext] = file.split(".");
      expect(file).toBe(hashedName(`${base}.${ext}`, readFileSync(path.join(SITE_OUTPUT, file))));
      expect(html).toMatch(new RegExp(`(src|href)="${file.replace(/\./g, "\\.")}"`));
    }
    expect(html).not.toMatch(/"(app\.js|styles\.css)"/);
    // The last matching option wins in SST's uploader: HTML is revalidated on every load.
    const htmlOptions = uploader.Properties.fileOptions.filter((o: any) =>
      [o.files].flat().some((g: string) => g.endsWith(".html")),
    );
    expect(htmlOptions.at(-1).cacheControl).toMatch(/no-cache/);
  });
});

/**
 * CloudFormation's string functions, evaluated as CloudFormation would, with each stack import and
 * pseudo parameter given a realistic value: the policy's header values as a browser receives them.
 */
function evaluate(value: any, imports: (name: string) => string): any {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, imports));
  const [[fn, args]] = Object.entries(value) as [[string, any]];
  if (fn === "Fn::Join") return (evaluate(args[1], imports) as string[]).join(args[0]);
  if (fn === "Fn::Split") return (evaluate(args[1], imports) as string).split(args[0]);
  if (fn === "Fn::Select") return evaluate(args[1], imports)[args[0]];
  if (fn === "Fn::ImportValue") return imports(args);
  if (fn === "Ref" && args === "AWS::URLSuffix") return "amazonaws.com";
  throw new Error(`evaluate: ${fn} is not expected in the site's headers`);
}

describe("the site's security headers (stage prod)", () => {
  const prod = () => {
    const raw = webTemplate("prod");
    return { raw, template: Template.fromJSON(raw) };
  };
  // What the two imports hold once deployed: the edge's two distributions' domains (stacks/edge.ts).
  const imports = (name: string) => {
    if (/-Orders:.*EdgeApi.*DomainName/.test(name)) return "d111111abcdef8.cloudfront.net";
    if (/-Orders:.*EdgeWebSocket.*DomainName/.test(name)) return "d222222abcdef8.cloudfront.net";
    throw new Error(`unexpected import ${name}`);
  };

  it("are one response headers policy, used by the distribution's default behavior", () => {
    const { raw, template } = prod();
    const policies = resourcesOfType(raw, "AWS::CloudFront::ResponseHeadersPolicy");
    expect(policies).toHaveLength(1);
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: policies[0]![0] } }),
      }),
    });
    // SST adds no other behavior that could serve a file without the policy.
    const [, distribution] = resourcesOfType(raw, "AWS::CloudFront::Distribution")[0]!;
    expect(distribution.Properties.DistributionConfig.CacheBehaviors ?? []).toEqual([]);
  });

  it("are core's SiteHeaders for the stage's API and WebSocket origins, the CSP directive by directive", () => {
    const [, policy] = resourcesOfType(prod().raw, "AWS::CloudFront::ResponseHeadersPolicy")[0]!;
    const config = policy.Properties.ResponseHeadersPolicyConfig;
    const expected = SiteHeaders.siteHeaders({
      api: "https://d111111abcdef8.cloudfront.net",
      websocket: "wss://d222222abcdef8.cloudfront.net",
    });
    const csp: string = evaluate(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy, imports);
    expect(
      Object.fromEntries(csp.split("; ").map((d) => [d.slice(0, d.indexOf(" ")), d.slice(d.indexOf(" ") + 1)])),
    ).toEqual({
      "default-src": "'self'",
      "script-src": "'self'",
      "style-src": "'self'",
      "img-src": "'self' data:",
      "connect-src": "https://d111111abcdef8.cloudfront.net wss://d222222abcdef8.cloudfront.net",
      "object-src": "'none'",
      "frame-ancestors": "'none'",
      "base-uri": "'none'",
      "form-action": "'none'",
    });
    expect(csp).toBe(expected["content-security-policy"]);
    expect(config.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: expect.anything(), Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: expected["x-frame-options"], Override: true },
      ReferrerPolicy: { ReferrerPolicy: expected["referrer-policy"], Override: true },
    });
    expect(expected["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(config.CustomHeadersConfig).toBeUndefined(); // every header of core's has a CloudFront field
  });
});
