/**
 * The order tracker page (packages/web) as an S3 bucket behind CloudFront. The page is built with
 * the stage's order API URL: SST runs the build with API_URL="{{ API_URL }}" and, once the API exists,
 * replaces that placeholder in the uploaded index.html and *.js files with the real URL (a stage's API
 * URL never changes, so the hashed name of app.js, taken with the placeholder in it, stays truthful).
 */
import { StaticSite, use, type StackContext } from "sst/constructs";
import { Callbacks } from "./Callbacks";
import { Orders } from "./Orders";
import { retainLogsOfEveryFunction } from "./operations";
import { suppressNagFindings, WEB_STACK_SUPPRESSIONS } from "./nag";

export const SITE_PATH = "packages/web";

export function Web({ stack }: StackContext) {
  const { edge } = use(Orders);
  retainLogsOfEveryFunction(stack, use(Callbacks).operations);

  const site = new StaticSite(stack, "OrderTrackerSite", {
    path: SITE_PATH,
    // Runs in SITE_PATH; the repository's tsx, so the build needs nothing installed globally.
    // Content-hashed script and stylesheet names: SST uploads *.js and *.css as cacheable for a year,
    // so a redeploy must change their names (index.html, which loads them, is never cached).
    buildCommand: "../../node_modules/.bin/tsx build.ts --out dist --hash-names",
    buildOutput: "dist",
    // Through the edge (stacks/edge.ts), where each client's requests are limited.
    environment: { API_URL: edge.httpUrl },
    errorPage: "redirect_to_index_page",
    assets: { fileOptions: [{ files: "**/*.html", cacheControl: "no-cache,no-store,must-revalidate,max-age=0" }] },
    cdk: { bucket: { enforceSSL: true } },
  });
  suppressNagFindings(stack, WEB_STACK_SUPPRESSIONS);

  stack.addOutputs({ SiteUrl: site.url });
  return { site };
}
