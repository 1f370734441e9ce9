/**
 * The order tracker page (packages/web) as an S3 bucket behind CloudFront. The page is built with
 * the stage's order API URL: SST runs the build with API_URL="{{ API_URL }}" and, once the API exists,
 * replaces that placeholder in the uploaded index.html and *.js files with the real URL.
 */
import { StaticSite, use, type StackContext } from "sst/constructs";
import { Orders } from "./Orders";

export const SITE_PATH = "packages/web";

export function Web({ stack }: StackContext) {
  const { api } = use(Orders);

  const site = new StaticSite(stack, "OrderTrackerSite", {
    path: SITE_PATH,
    // Runs in SITE_PATH; the repository's tsx, so the build needs nothing installed globally.
    buildCommand: "../../node_modules/.bin/tsx build.ts --out dist",
    buildOutput: "dist",
    environment: { API_URL: api.url },
    errorPage: "redirect_to_index_page",
  });

  stack.addOutputs({ SiteUrl: site.url });
  return { site };
}
