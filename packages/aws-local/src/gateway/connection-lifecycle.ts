/**
 * An open connection's socket, from the completed upgrade to `$disconnect`: frames in, the two clocks,
 * closes by either side, and the single `$disconnect` that follows every close.
 */
import type { RawData, WebSocket } from "ws";
import { markActive, type CloseCause, type Connection } from "./connections";
import { startConnectionTimers } from "./connection-timers";
import { buildDisconnectEvent } from "./events";
import { handleMessage } from "./messages";
import { track, withFaults, type GatewayRuntime } from "./runtime";

/** How long a client gets to answer our close frame before its socket is cut. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 2_000;

/** The causes `ws` reports for frames it refuses; it has already sent the matching close frame. */
const SOCKET_ERROR_CAUSES: Record<string, CloseCause> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: { code: 1009, reason: "Message too big" },
  WS_ERR_INVALID_UTF8: { code: 1007, reason: "Invalid frame payload data" },
};

function causeOfSocketError(error: Error): CloseCause {
  const code = (error as Error & { code?: string }).code ?? "";
  return SOCKET_ERROR_CAUSES[code] ?? { code: 1002, reason: error.message };
}

/** What API Gateway tells `$disconnect` when the client (or the network) ended the connection. */
function clientCloseCause(code: number, reason: Buffer): CloseCause {
  if (code === 1005) return { code, reason: "Client-side close frame status not set" };
  if (code === 1006) return { code, reason: "Connection was closed abnormally" };
  return { code, reason: reason.toString("utf8") };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Makes the connection open (postable) and serves its socket until it closes. */
export function attachSocket(runtime: GatewayRuntime, connection: Connection, socket: WebSocket) {
  connection.socket = socket;
  connection.state = "open";
  connection.lastActiveAt = Date.now();
  connection.timers = startConnectionTimers(runtime.limits, (cause) => closeConnection(connection, cause));

  socket.on("message", (data, isBinary) => {
    void track(runtime, handleMessage(runtime, connection, toBuffer(data), isBinary));
  });
  socket.on("ping", () => markActive(connection));
  socket.on("pong", () => markActive(connection));
  socket.on("error", (error) => {
    connection.closeCause ??= causeOfSocketError(error);
  });

  const closed = new Promise<void>((resolve) => {
    socket.once("close", (code, reason) => {
      connection.timers?.stop();
      clearTimeout(connection.closeDeadline);
      // Gone from the registry before `$disconnect` runs: like API Gateway, posts to it now get 410.
      if (!runtime.registry.remove(connection.id)) return resolve();
      const cause = connection.closeCause ?? clientCloseCause(code, reason);
      runDisconnect(runtime, connection, cause).then(resolve, resolve);
    });
  });
  void track(runtime, closed);
}

async function runDisconnect(runtime: GatewayRuntime, connection: Connection, cause: CloseCause) {
  if (!("$disconnect" in runtime.routes)) return;
  // A throttled `$disconnect` is not run (and logged with 429): API Gateway's is only best-effort anyway.
  await runtime.invokeRoute(connection, withFaults(runtime, buildDisconnectEvent(runtime.scope, connection, cause)));
}

/** The gateway's side of a close (DELETE, timeouts, shutdown); `$disconnect` follows from the socket's close. */
export function closeConnection(connection: Connection, cause: CloseCause) {
  const socket = connection.socket;
  if (!socket || connection.closeCause || socket.readyState !== socket.OPEN) return;
  connection.closeCause = cause;
  connection.timers?.stop();
  socket.close(cause.code, cause.reason);
  connection.closeDeadline = setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS);
}

/**
 * Ends a connection whose client does not read what is posted to it: the socket is cut at once (a
 * close frame would queue behind the unread data), and `$disconnect` runs with the cause given.
 */
export function cutConnection(connection: Connection, cause: CloseCause) {
  const socket = connection.socket;
  if (!socket) return;
  connection.closeCause ??= cause;
  connection.timers?.stop();
  socket.terminate();
}

/**
 * Cuts an open connection as a lost network would, and forgets it WITHOUT running `$disconnect`:
 * API Gateway's `$disconnect` is best-effort, so the app must cope with rows nobody deletes. The
 * client sees 1006; every later post to the id answers 410. Returns false if the id is not open.
 */
export function dropConnection(runtime: GatewayRuntime, connectionId: string) {
  const connection = runtime.registry.postable(connectionId);
  if (!connection) return false;
  // Removed first: the socket's close handler then finds nothing to `$disconnect`.
  runtime.registry.remove(connection.id);
  connection.timers?.stop();
  connection.socket.terminate();
  return true;
}
