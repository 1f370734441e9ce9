/** The WebSocket and HTTP routes, the function behind each, and `$connect`'s authorizer. */
import { HEADER as ORIGIN_VERIFY_HEADER } from "../origin-verify";
import type { FunctionName } from "./functions";

/** API Gateway ends a route's integration after 29 s (WebSocket and HTTP APIs alike); the function may run on. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;
/**
 * API Gateway closes every WebSocket after 2 hours (its "connection duration" quota): a connection's
 * record (callbacks/table.ts) expires this long after its connect, the socket's life and a margin.
 */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;

/** API Gateway selects a route by the message's `action`, falling back to `$default`. */
export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";
export const WEBSOCKET_ROUTES = {
  $connect: "OrderWSConnectFunction",
  $disconnect: "OrderWSDisconnectFunction",
  $default: "OrderWSPendingFunction",
  sync: "OrderWSPendingFunction",
} as const satisfies Record<string, FunctionName>;

/**
 * `$connect`'s Lambda REQUEST authorizer (a WebSocket API can authorize no other route). API Gateway
 * answers 401 without invoking it when an identity source is missing or empty — the order's id, and
 * the edge's header (`OriginVerify.HEADER`), so an upgrade that went around the edge costs no
 * invocation; the authorizer denies (403) a wrong value — and hands what it
 * allows — `{ principalId, ...context }` — to `$connect` and to every later route of the connection
 * as `requestContext.authorizer`: the connection's order travels with it, with no table read.
 * The stacks attach it, `npm start`'s gateway runs it.
 */
export const WEBSOCKET_AUTHORIZER = {
  functionName: "OrderWSAuthorizerFunction",
  identitySource: ["route.request.querystring.orderId", `route.request.header.${ORIGIN_VERIFY_HEADER}`],
  /** Longer is denied (403), so no later event carries an oversized context; an order's id is a 36-character UUID. */
  maxOrderIdLength: 64,
} as const satisfies { functionName: FunctionName; identitySource: readonly string[]; maxOrderIdLength: number };

/** The order API (API Gateway HTTP API), `METHOD /path` with `{param}` segments. */
export const HTTP_ROUTES = {
  "POST /orders": "CreateOrderFunction",
  "GET /orders/{orderId}": "GetOrderFunction",
  "GET /catalogue": "GetCatalogueFunction",
} as const satisfies Record<string, FunctionName>;
