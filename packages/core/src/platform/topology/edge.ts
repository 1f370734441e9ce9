/**
 * Per-client limits at the edge: AWS WAF rate-based rules, per source address, on the web ACL of
 * the CloudFront distributions in front of both APIs (stacks/edge.ts); `npm start` enforces the same
 * rules per source address before the stage throttles (packages/aws-local/src/edge-rate-limit.ts).
 * WAF attaches to CloudFront but not to HTTP or WebSocket APIs, and counts per address over a
 * window of 60, 120, 300 or 600 s with a limit of at least 10 (docs/decisions/per-client-limits-at-the-edge.md).
 */
import { THROTTLE_SIZING } from "./throttles";

/**
 * Sized from `THROTTLE_SIZING`: what one customer does in a window (the same per-customer rates the
 * stage throttles add up), × the customers one address may carry (an office or a carrier's NAT),
 * × headroom. A customer's normal use is a twentieth of a limit; one client's flood of the stage's
 * rate (22 requests/s, 20 connects/s) is hundreds of times over it. The stage throttles stay the
 * total behind the edge: WAF blocks with a lag (usually under 30 s) and never sees a socket's frames.
 */
export const EDGE_SIZING = {
  /** WAF's evaluation window: 300 s is its default and lets the smallest limits stay above WAF's minimum. */
  windowSeconds: 300,
  /** Customers behind one address at once (NAT): a limit must not refuse an office placing orders. */
  customersPerAddress: 10,
  headroom: 2,
} as const;

/** AWS WAF refuses a rate-based rule's limit below this. */
export const WAF_MIN_RATE_LIMIT = 10;
/** AWS WAF's largest rate-based limit. */
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;

/**
 * What a rule counts: every POST (the order API's one POST route is `POST /orders`), WebSocket
 * upgrades (`$connect`), or every request through the edge. By method, not by path: API Gateway
 * routes `/orders/` and other spellings of the path to the same route, and a rule on the exact path
 * would let them through under the looser catch-all.
 */
export type EdgeScope = { method: "POST" } | { upgrade: "websocket" } | "all";
export type EdgeRule = { limit: number; windowSeconds: number; scope: EdgeScope };

/** One customer's requests in a window, from the traffic the stage throttles are sized for. */
export function perCustomerPerWindow(
  sizing: typeof THROTTLE_SIZING = THROTTLE_SIZING,
  windowSeconds: number = EDGE_SIZING.windowSeconds,
) {
  const minutes = windowSeconds / 60;
  const orders = (sizing.ordersPerMinute / sizing.concurrentCustomers) * minutes;
  const connects = sizing.socketsPerCustomer * sizing.connectsPerSocketPerMinute * minutes;
  const http =
    ((sizing.pageLoadsPerMinute * sizing.httpRequestsPerPageLoad + sizing.ordersPerMinute) /
      sizing.concurrentCustomers) *
    minutes;
  return { orders, connects, requests: http + connects };
}

const edgeLimit = (perCustomer: number) =>
  Math.max(WAF_MIN_RATE_LIMIT, Math.ceil(perCustomer * EDGE_SIZING.customersPerAddress * EDGE_SIZING.headroom));
const PER_CUSTOMER = perCustomerPerWindow();

/** Whether a rule's scope takes a request, as the web ACL's scope-down statements do (stacks/edge.ts). */
export function edgeScopeMatches(scope: EdgeScope, request: { method: string; path: string; upgrade?: string }) {
  if (scope === "all") return true;
  if ("upgrade" in scope) return request.upgrade?.toLowerCase() === scope.upgrade;
  return request.method.toUpperCase() === scope.method;
}

/**
 * The web ACL's rate-based rules, in the order WAF evaluates them (the first that blocks ends the
 * evaluation). Their limits are tunables (`EDGE_*_PER_ADDRESS`, core's platform/tunables.ts).
 */
export const EDGE_RULES = {
  /** Each one starts a paid workflow execution and the whole order path: the tightest. */
  OrdersPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.orders),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: { method: "POST" },
  },
  /** `$connect` runs the authorizer and the connect function, and takes a place of the stage's 20/s. */
  ConnectsPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.connects),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: { upgrade: "websocket" },
  },
  /** Everything else through either distribution: page loads' GETs, preflights, upgrades. */
  RequestsPerAddress: {
    limit: edgeLimit(PER_CUSTOMER.requests),
    windowSeconds: EDGE_SIZING.windowSeconds,
    scope: "all",
  },
} as const satisfies Record<string, EdgeRule>;
export type EdgeRuleName = keyof typeof EDGE_RULES;

/**
 * The edge's refusal, one definition: WAF's custom response on the web ACL and `npm start` alike.
 * The body is API Gateway's own THROTTLED body, so the page reads an edge refusal as it reads a stage
 * throttle; `access-control-allow-origin` lets the page (another origin) read it at all (WAF's default
 * 403 without CORS would surface as a network error, a dead link). WAF prefixes only the headers it
 * inserts into requests, not those of a custom response.
 */
export const EDGE_REFUSAL = {
  statusCode: 429,
  contentType: "application/json",
  body: JSON.stringify({ message: "Too Many Requests" }),
  headers: { "access-control-allow-origin": "*" },
} as const;
