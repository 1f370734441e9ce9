/**
 * The order API as API Gateway's HTTP API serves it: routes from the same table the stack uses,
 * payload 2.0 events to the deployed handler modules, their results written back (including the
 * 2.0 rule that a result without `statusCode` is a 200 JSON body), CORS like the stack's, and the
 * stage's throttle per route (429 `{"message":"Too Many Requests"}`, API Gateway's THROTTLED response).
 * In front of it, as CloudFront with its WAF web ACL is on AWS, the per-address edge limits
 * (../edge-rate-limit.ts): an API request refused there never reaches the stage's throttle.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, readBody } from "../http/index";
import { httpApiEvent } from "./events";
import { createRouter } from "./routes";
import { routeThrottles, type Throttle } from "../throttle";
import { addOriginHeaders, sourceIpOf, type EdgeOptions } from "../edge-rate-limit";

/** API Gateway HTTP APIs accept at most 10 MB of payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET,POST,OPTIONS",
  "access-control-allow-headers": "content-type,authorization,idempotency-key",
};

type Invoke = (functionName: string, event: unknown) => Promise<unknown>;
type Log = (record: { component: string; message: string; [key: string]: unknown }) => void;

type Result = { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };

function send(res: ServerResponse, statusCode: number, headers: Record<string, string>, body: Buffer | string) {
  res.writeHead(statusCode, { ...CORS, ...headers });
  res.end(body);
}

export function createHttpApi(options: {
  routes: Readonly<Record<string, string>>;
  invoke: Invoke;
  log: Log;
  /** The stage's default route throttle, a bucket per route; none: nothing is throttled. */
  throttle?: Throttle;
  /** The edge's per-address limits and refusal; none: no edge (every request reaches the stage). */
  edge?: EdgeOptions;
}) {
  const route = createRouter(options.routes);
  const admit = routeThrottles({ default: options.throttle });
  /** Handles the request if it is an API route; returns false to let the caller serve it. */
  /** True if the edge refused the request (and answered it). Only the API's paths are behind the edge. */
  const refusedAtEdge = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!options.edge) return false;
    const verdict = options.edge.admit({ sourceIp: sourceIpOf(req.socket), method: req.method ?? "GET", path });
    if (verdict.allowed) {
      addOriginHeaders(req, options.edge.originHeaders);
      return false;
    }
    const { statusCode, contentType, body, headers } = options.edge.refusal;
    req.resume();
    send(res, statusCode, { ...headers, "content-type": contentType }, body);
    options.log({
      component: "http",
      message: `${req.method} ${path} refused at the edge`,
      statusCode,
      error: "edge-rate-limit",
      rule: verdict.rule,
      sourceIp: sourceIpOf(req.socket),
    });
    return true;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "OPTIONS") {
      if (!route("GET", url.pathname) && !route("POST", url.pathname)) return false;
      if (refusedAtEdge(req, res, url.pathname)) return true;
      send(res, 204, {}, "");
      return true;
    }
    const match = route(req.method ?? "GET", url.pathname);
    if (!match) return false;
    if (refusedAtEdge(req, res, url.pathname)) return true;
    if (!admit(match.routeKey)) {
      req.resume();
      send(res, 429, { "content-type": "application/json" }, JSON.stringify({ message: "Too Many Requests" }));
      options.log({
        component: "http",
        message: `${match.routeKey} → ${match.functionName}`,
        statusCode: 429,
        error: "throttled",
      });
      return true;
    }
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body instanceof BodyTooLargeError) {
      send(res, 413, { "content-type": "application/json" }, JSON.stringify({ message: "Request Entity Too Large" }));
      return true;
    }
    const started = Date.now();
    try {
      const result = (await options.invoke(match.functionName, httpApiEvent(req, url, match, body))) as
        | Result
        | string
        | undefined;
      const structured: Result =
        result && typeof result === "object" && "statusCode" in result
          ? result
          : { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result ?? null) };
      const payload = structured.isBase64Encoded
        ? Buffer.from(structured.body ?? "", "base64")
        : (structured.body ?? "");
      send(res, structured.statusCode ?? 200, structured.headers ?? {}, payload);
      options.log({
        component: "http",
        message: `${match.routeKey} → ${match.functionName}`,
        statusCode: structured.statusCode ?? 200,
        orderId: match.pathParameters?.orderId,
        durationMs: Date.now() - started,
      });
    } catch (error) {
      send(res, 500, { "content-type": "application/json" }, JSON.stringify({ message: "Internal Server Error" }));
      options.log({
        component: "http",
        message: `${match.routeKey} → ${match.functionName}`,
        statusCode: 500,
        error: String(error),
      });
    }
    return true;
  };
}
