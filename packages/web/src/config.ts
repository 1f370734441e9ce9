/// <reference lib="dom.iterable" />
/**
 * Where the order API and the callback WebSocket are. The build injects both (esbuild `define`):
 * the API URL is "" for same origin (`npm start` serves the page next to the API) or a URL; the
 * WebSocket URL is the stage's (`wss://…/<stage>`), the only one order links may point at. In `sst
 * deploy` each is a placeholder (`{{ API_URL }}`, `{{ WEBSOCKET_URL }}`) which SST replaces in the
 * uploaded files once the stage's URLs are known.
 */
declare const __AWSOMEPETS_API_URL__: string;
declare const __AWSOMEPETS_WEBSOCKET_URL__: string;

export const BUILT_API_URL: string = typeof __AWSOMEPETS_API_URL__ === "string" ? __AWSOMEPETS_API_URL__ : "";
export const BUILT_WEBSOCKET_URL: string =
  typeof __AWSOMEPETS_WEBSOCKET_URL__ === "string" ? __AWSOMEPETS_WEBSOCKET_URL__ : "";

/** A placeholder nobody replaced: the site was uploaded outside `sst deploy`. */
const isPlaceholder = (value: string) => /^\{\{.*\}\}$/.test(value.trim());

/** The base for API paths: "" (same origin) or an origin/path without a trailing slash. */
export function apiBase(configured: string = BUILT_API_URL): string {
  // Same origin is the best guess for an unreplaced placeholder.
  if (isPlaceholder(configured)) return "";
  return configured.trim().replace(/\/+$/, "");
}

/**
 * The stage's WebSocket URL (no query, no trailing slash), or undefined when the build was given
 * none that a browser can open: then no order link is followed at all (there is no safe guess).
 */
export function websocketBase(configured: string = BUILT_WEBSOCKET_URL): URL | undefined {
  if (isPlaceholder(configured)) return undefined;
  let url: URL;
  try {
    url = new URL(configured.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== "wss:" && url.protocol !== "ws:") || url.search || url.hash || url.username || url.password)
    return undefined;
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}
