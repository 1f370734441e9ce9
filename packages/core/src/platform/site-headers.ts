/**
 * The security headers of every response of the order tracker site: the stage's CloudFront response
 * headers policy (stacks/Web.ts) and `npm start`'s page server (packages/local) both send exactly
 * these. The page needs nothing else: one script and one stylesheet from its own origin, a `data:`
 * favicon, `fetch` to the order API and a WebSocket to the callback API — so a script injected
 * into it can neither load more code nor send what it reads (tokens in localStorage) anywhere else.
 *
 * Plain strings, no CDK: the stack passes CloudFormation tokens for the origins, which survive the
 * template literal below and resolve at deploy.
 */

export type SiteOrigins = {
  /**
   * Where the page calls the order API: an origin (`https://abc.execute-api…`), or "self" when it is the page's own.
   */
  api: string;
  /** The callback WebSocket's origin (`wss://abc.execute-api…`, `ws://127.0.0.1:3001`): no path. */
  websocket: string;
};

/** Two years, the value the HSTS preload list asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

const source = (origin: string) => (origin === "self" ? "'self'" : origin);

/** The Content-Security-Policy value, directive by directive (for tests and readers). */
export function contentSecurityPolicyDirectives(origins: SiteOrigins): Record<string, string> {
  return {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    // The favicon is an inline SVG (index.html), so that no request for /favicon.ico 404s.
    "img-src": "'self' data:",
    "connect-src": `${source(origins.api)} ${source(origins.websocket)}`,
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
  };
}

export function contentSecurityPolicy(origins: SiteOrigins): string {
  return Object.entries(contentSecurityPolicyDirectives(origins))
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");
}

/** Header name (lower case) → value, for every response of the site, errors included. */
export function siteHeaders(origins: SiteOrigins): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(origins),
    "strict-transport-security": `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // Order links carry the token in the fragment, never sent; no-referrer keeps even the page's path to itself.
    "referrer-policy": "no-referrer",
  };
}

/**
 * The origin of a WebSocket or HTTP URL given as a plain string (`ws://127.0.0.1:3001/local` → `ws://127.0.0.1:3001`).
 */
export function originOf(url: string): string {
  return new URL(url).origin;
}
