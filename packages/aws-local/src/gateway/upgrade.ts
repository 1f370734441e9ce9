/**
 * A WebSocket upgrade request, held open while `$connect` runs: API Gateway only completes the handshake
 * when the route's integration succeeds, and answers the upgrade with the integration's status otherwise
 * (`npm run smoke` checks a stage: refuse-forged-token, refuse-other-orders-token).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { authorize } from "./authorizer";
import type { Connection } from "./connections";
import { buildConnectEvent } from "./events";
import { newConnectionId } from "./ids";
import { rejectUpgrade } from "./raw-http-response";
import { addOriginHeaders, sourceIpOf } from "../edge-rate-limit";
import type { GatewayRuntime } from "./runtime";

const FORBIDDEN_BODY = JSON.stringify({ message: "Forbidden" });
const INTERNAL_ERROR_BODY = JSON.stringify({ message: "Internal server error" });
/** API Gateway's THROTTLED response: 429 with this body, the handshake refused, `$connect` not run. */
const THROTTLED_BODY = JSON.stringify({ message: "Too Many Requests" });

type ProxyResult = { statusCode?: unknown; body?: unknown; headers?: unknown; isBase64Encoded?: unknown };

/** The subprotocol `$connect` agreed to, keyed by upgrade request, for the server's `handleProtocols`. */
export const agreedSubprotocols = new WeakMap<IncomingMessage, string>();

export async function handleUpgrade(
  runtime: GatewayRuntime,
  server: WebSocketServer,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  onOpen: (connection: Connection, socket: WebSocket) => void,
  /** False for the origin listener: the request went around the edge (`originPort`). */
  throughEdge = true,
) {
  // Errors on a socket nobody listens to would crash the process; a dead client is simply gone.
  socket.on("error", () => socket.destroy());
  const url = new URL(request.url ?? "/", "http://gateway");
  // The edge answers before the stage sees anything, whatever the path (WAF sees every request).
  if (runtime.edge && throughEdge) {
    const sourceIp = sourceIpOf(request.socket);
    const verdict = runtime.edge.admit({
      sourceIp,
      method: request.method ?? "GET",
      path: url.pathname,
      upgrade: request.headers.upgrade,
    });
    if (!verdict.allowed) {
      const { statusCode, contentType, body, headers } = runtime.edge.refusal;
      runtime.onEdgeRefusal?.({ sourceIp, rule: verdict.rule, path: url.pathname });
      return rejectUpgrade(socket, statusCode, body, { ...headers, "Content-Type": contentType });
    }
    addOriginHeaders(request, runtime.edge.originHeaders);
  }
  if (url.pathname.replace(/\/$/, "") !== `/${runtime.scope.stage}`) return rejectUpgrade(socket, 403, FORBIDDEN_BODY);
  if (runtime.closing) return rejectUpgrade(socket, 503, "");
  // Checked before `$connect` so the app never records a connection that `ws` would then refuse.
  if (!isWebSocketHandshake(request)) return rejectUpgrade(socket, 400, "Bad Request");

  const now = Date.now();
  const connection: Connection = {
    id: newConnectionId(),
    state: "connecting",
    connectedAt: now,
    lastActiveAt: now,
    identity: { sourceIp: sourceIpOf(request.socket), userAgent: request.headers["user-agent"] ?? "" },
  };
  const orderId = url.searchParams.get("orderId");
  if (orderId !== null) connection.orderId = orderId;

  runtime.registry.add(connection);
  runtime.pendingUpgrades.add(socket);
  // A client that leaves while its `$connect` waits (for a busy function's environments, say) gives
  // its socket back at once: held until its turn, a crowd of them ran the process out of file
  // descriptors under reconnect storms (every socket stuck in CLOSE_WAIT). It is answered nothing.
  const leave = () => socket.destroy();
  socket.once("end", leave);
  let admitted: { statusCode: number; body: Buffer; headers: Record<string, string> };
  try {
    admitted = await runConnectRoute(runtime, connection, request, url);
  } finally {
    socket.off("end", leave);
    runtime.pendingUpgrades.delete(socket);
  }

  // A client that gave up, or a gateway closing meanwhile, never gets an open connection (nor `$disconnect`).
  if (admitted.statusCode >= 300 || socket.destroyed || runtime.closing) {
    runtime.registry.remove(connection.id);
    return rejectUpgrade(
      socket,
      admitted.statusCode >= 300 ? admitted.statusCode : 503,
      admitted.body,
      admitted.headers,
    );
  }
  const protocol = headerValue(admitted.headers, "sec-websocket-protocol");
  if (protocol !== undefined) agreedSubprotocols.set(request, protocol);
  server.handleUpgrade(request, socket, head, (webSocket) => onOpen(connection, webSocket));
}

/**
 * No `$connect` route admits everyone; a thrown error is a 500, like a failed Lambda integration. An
 * authorizer runs first, and takes the route's throttle for the request (authorizer.ts).
 */
async function runConnectRoute(runtime: GatewayRuntime, connection: Connection, request: IncomingMessage, url: URL) {
  if (!("$connect" in runtime.routes)) return { statusCode: 200, body: Buffer.alloc(0), headers: {} };
  const event = buildConnectEvent(runtime.scope, connection, request, url);
  if (runtime.authorizer) {
    const verdict = await authorize(runtime.authorizer, runtime.invokeRoute, connection, event);
    if (!verdict.allowed) return verdict;
    connection.authorizer = verdict.authorizer;
    event.requestContext.authorizer = verdict.authorizer;
  }
  const outcome = await runtime.invokeRoute(connection, event, runtime.authorizer ? { throttled: false } : {});
  if (!outcome.ok && "throttled" in outcome) {
    return { statusCode: 429, body: Buffer.from(THROTTLED_BODY), headers: { "Content-Type": "application/json" } };
  }
  if (!outcome.ok) {
    return { statusCode: 500, body: Buffer.from(INTERNAL_ERROR_BODY), headers: { "Content-Type": "application/json" } };
  }
  const result = (typeof outcome.result === "object" && outcome.result !== null ? outcome.result : {}) as ProxyResult;
  return { statusCode: outcome.status, body: bodyOf(result), headers: stringHeaders(result.headers) };
}

function bodyOf(result: ProxyResult) {
  if (typeof result.body !== "string") return Buffer.alloc(0);
  return Buffer.from(result.body, result.isBase64Encoded === true ? "base64" : "utf8");
}

function stringHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== "object" || headers === null) return {};
  const entries = Object.entries(headers).filter(([, value]) => ["string", "number", "boolean"].includes(typeof value));
  return Object.fromEntries(entries.map(([name, value]) => [name, String(value)]));
}

function headerValue(headers: Record<string, string>, name: string) {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function isWebSocketHandshake(request: IncomingMessage) {
  return (
    request.method === "GET" &&
    request.headers.upgrade?.toLowerCase() === "websocket" &&
    typeof request.headers["sec-websocket-key"] === "string" &&
    ["8", "13"].includes(request.headers["sec-websocket-version"] ?? "")
  );
}
