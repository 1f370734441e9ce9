/**
 * Calls the function behind a route, unless the route's throttle refuses the request, times it and
 * writes the route's log record (throttled ones too, with status 429).
 */
import type { Connection } from "./connections";
import type { WebSocketAuthorizerEvent, WebSocketProxyEvent } from "./events";
import type { InvokeFunction, RouteLogRecord, RouteTable } from "./options";
import type { RouteAdmission } from "../throttle";

export type RouteOutcome =
  | { ok: true; result: unknown; status: number }
  | { ok: false; error: unknown; status: 500 }
  | { ok: false; throttled: true; status: 429 };

/**
 * `functionName` replaces the route's function (`$connect`'s authorizer); `throttled: false` skips the
 * route's throttle for a request that already passed it (`$connect` after its authorizer); `answer`
 * tells the log what the client was answered, where that is not the function's `statusCode`.
 */
export type RouteCall = {
  functionName?: string;
  throttled?: false;
  answer?: (outcome: RouteOutcome) => { status: number; error?: string };
};

export type RouteInvoker = (
  connection: Connection,
  event: WebSocketProxyEvent | WebSocketAuthorizerEvent,
  call?: RouteCall,
) => Promise<RouteOutcome>;

/** A Lambda proxy result's `statusCode`; a handler that returns none (or no object) counts as 200. */
export function statusCodeOf(result: unknown) {
  const statusCode = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof statusCode === "number" ? statusCode : 200;
}

export function createRouteInvoker(deps: {
  routes: RouteTable;
  invoke: InvokeFunction;
  admit: RouteAdmission;
  log: (record: RouteLogRecord) => void;
}): RouteInvoker {
  return async (connection, event, call = {}) => {
    const { requestContext } = event;
    const route = requestContext.routeKey;
    const functionName = call.functionName ?? (Object.hasOwn(deps.routes, route) ? deps.routes[route] : undefined);
    if (functionName === undefined) throw new Error(`No function serves route ${route}`);
    const started = performance.now();
    let outcome: RouteOutcome;
    if (call.throttled !== false && !deps.admit(route)) {
      outcome = { ok: false, throttled: true, status: 429 };
    } else {
      try {
        const result = await deps.invoke(functionName, event);
        outcome = { ok: true, result, status: statusCodeOf(result) };
      } catch (error) {
        outcome = { ok: false, error, status: 500 };
      }
    }
    const record: RouteLogRecord = {
      source: "websocket-gateway",
      route,
      functionName,
      connectionId: connection.id,
      requestId: requestContext.requestId,
      status: outcome.status,
      durationMs: Math.round(performance.now() - started),
    };
    if (connection.orderId !== undefined) record.orderId = connection.orderId;
    if ("error" in outcome)
      record.error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    if ("throttled" in outcome) record.error = "throttled";
    if (call.answer) Object.assign(record, call.answer(outcome));
    try {
      deps.log(record);
    } catch {
      // A broken logger must not change how the gateway answers the client.
    }
    return outcome;
  };
}
