/**
 * The Web stack as CloudFormation (stage `dev`, synthesized offline): the order tracker page in a
 * private bucket behind CloudFront, built during synthesis with SST's `{{ API_URL }}` placeholder,
 * which the upload replaces with the Orders stack's API URL.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { hashedName } from "../../packages/web/build";
import { resourcesOfType } from "./template";

const STAGE = "dev";
const SITE_OUTPUT = path.resolve("packages/web/dist");
const PLACEHOLDER = "{{ API_URL }}";

let template: Template;
let raw: any;
beforeAll(() => {
  const dir = path.join(inject("synthDir"), STAGE);
  const file = readdirSync(dir).find((f) => f.endsWith("-Web.json"));
  if (!file) throw new Error(`No Web stack among ${readdirSync(dir)} (is stacks/Web.ts in sst.config.ts?)`);
  raw = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  template = Template.fromJSON(raw);
});

describe("OrderTrackerSite", () => {
  it("keeps the page in a bucket closed to the public, emptied and deleted with a dev stage", () => {
    template.resourceCountIs("AWS::S3::Bucket", 1);
    template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Delete",
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
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
      "Fn::Join": ["", ["https://", { "Fn::GetAtt": [expect.stringMatching(/^OrderTrackerSiteDistribution/), "DomainName"] }]],
    });
  });

  it("uploads the build and has the placeholder replaced with the Orders stack's API URL in the HTML and JS", () => {
    const uploaders = resourcesOfType(raw, "Custom::S3Uploader");
    expect(uploaders).toHaveLength(1);
    const [, uploader] = uploaders[0]!;
    expect(uploader.Properties.sources).toEqual([{ bucketName: expect.any(String), objectKey: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) }]);
    // The order API through the edge (stacks/edge.ts): its distribution's domain.
    const apiUrl = { "Fn::Join": ["", ["https://", { "Fn::ImportValue": expect.stringMatching(/-Orders:.*EdgeApi.*DomainName/) }]] };
    expect(uploader.Properties.replaceValues).toEqual([
      { files: "**/*.html", search: PLACEHOLDER, replace: apiUrl },
      { files: "**/*.js", search: PLACEHOLDER, replace: apiUrl },
    ]);
  });

  it("ran the page build during synthesis, leaving the placeholder as one string literal SST can replace", () => {
    const files = readdirSync(SITE_OUTPUT).sort();
    expect(files).toEqual([expect.stringMatching(/^app\.[0-9a-f]{12}\.js$/), "index.html", expect.stringMatching(/^styles\.[0-9a-f]{12}\.css$/)]);
    const js = readFileSync(path.join(SITE_OUTPUT, files[0]!), "utf8");
    expect(js.split(`"${PLACEHOLDER}"`)).toHaveLength(2);
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
    const htmlOptions = uploader.Properties.fileOptions.filter((o: any) => [o.files].flat().some((g: string) => g.endsWith(".html")));
    expect(htmlOptions.at(-1).cacheControl).toMatch(/no-cache/);
  });
});
