/// <reference lib="dom.iterable" />
/**
 * Where the order API is. The build injects it (esbuild `define`): "" for same origin (`npm start`
 * serves the page next to the API), a URL, or — in `sst deploy` — the placeholder `{{ API_URL }}`,
 * which SST replaces in the uploaded files once the API's URL is known.
 */
declare const __AWSOMEPETS_API_URL__: string;

export const BUILT_API_URL: string = typeof __AWSOMEPETS_API_URL__ === "string" ? __AWSOMEPETS_API_URL__ : "";

/** The base for API paths: "" (same origin) or an origin/path without a trailing slash. */
export function apiBase(configured: string = BUILT_API_URL): string {
  // A placeholder nobody replaced (the site was uploaded outside `sst deploy`): same origin is the best guess.
  if (/^\{\{.*\}\}$/.test(configured.trim())) return "";
  return configured.trim().replace(/\/+$/, "");
}
