/**
 * The `@connections` API of the stage, as `ApiGatewayManagementApiClient` calls it:
 * `POST|GET|DELETE /{stage}/@connections/{connectionId}`. Errors carry `x-amzn-errortype` so the SDK
 * throws the same exception classes (GoneException, PayloadTooLargeException, ForbiddenException) as on AWS.
 * Requests are not signature-checked.
 */
import { isUtf8 } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, readBody, sendAwsError, sendJson } from "../http/index";
import { closeConnection, cutConnection } from "./connection-lifecycle";
import { markActive } from "./connections";
import type { GatewayRuntime } from "./runtime";

type ErrorType = "ForbiddenException" | "GoneException" | "PayloadTooLargeException";

/** API Gateway closes a deleted connection normally; the client cannot tell it apart from a server close. */
const DELETED = { code: 1000, reason: "Connection deleted" };
/** What `$disconnect` is told when a connection is cut for not reading. */
const NOT_READING = { code: 1006, reason: "Client is not reading: posts timed out" };

export async function handleManagementRequest(
  runtime: GatewayRuntime,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const connectionId = connectionIdOf(request.url ?? "/", runtime.scope.stage);
  if (connectionId === undefined || !["GET", "POST", "DELETE"].includes(request.method ?? "")) {
    request.resume();
    return sendError(response, 403, "ForbiddenException", "Forbidden");
  }

  if (request.method === "POST") {
    const data = await readBody(request, runtime.limits.maxMessageBytes);
    if (data instanceof BodyTooLargeError)
      return sendError(response, 413, "PayloadTooLargeException", "Request entity too large");
    const connection = runtime.registry.postable(connectionId);
    // A closed (or never opened) connection: 410 GoneException, as on AWS (`npm run smoke` checks a
    // stage: gone-after-close). `faults.goneStatus` breaks it for that check's own test.
    if (!connection) return runtime.faults?.goneStatus ? send(response, runtime.faults.goneStatus) : sendGone(response);
    // A client that does not read: API Gateway closes such connections rather than buffer for ever.
    // Past the buffer bound (at once) or the post timeout, the connection is cut and the post is 410.
    if (connection.socket.bufferedAmount + data.length > runtime.limits.maxBufferedBytes) {
      cutConnection(connection, NOT_READING);
      return sendGone(response);
    }
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      cutConnection(connection, NOT_READING);
      sendGone(response);
    }, runtime.limits.postTimeoutMs);
    // API Gateway sends text frames for UTF-8 payloads, binary frames otherwise.
    connection.socket.send(data, { binary: !isUtf8(data) }, (error) => {
      clearTimeout(timer);
      if (answered) return;
      if (error) return sendGone(response);
      markActive(connection);
      send(response, 200);
    });
    return;
  }

  request.resume();
  const connection = runtime.registry.postable(connectionId);
  if (!connection) return sendGone(response);
  if (request.method === "GET") {
    // On the wire the members are camelCase (their jsonName); the SDK maps them to ConnectedAt, Identity, ...
    return send(response, 200, {
      connectedAt: new Date(connection.connectedAt).toISOString(),
      identity: { sourceIp: connection.identity.sourceIp, userAgent: connection.identity.userAgent },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  }
  closeConnection(connection, DELETED);
  send(response, 204);
}

/** `/{stage}/@connections/{id}`, each segment URL-decoded: the SDK percent-encodes the id's `=`, `+` and `/`. */
function connectionIdOf(url: string, stage: string) {
  const segments = new URL(url, "http://gateway").pathname.split("/");
  if (segments.length !== 4 || segments[0] !== "") return undefined;
  try {
    const [, stageSegment, resource, id] = segments.map(decodeURIComponent);
    if (stageSegment !== stage || resource !== "@connections" || !id) return undefined;
    return id;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body?: object) {
  sendJson(response, status, body, "rest-json");
}

function sendError(response: ServerResponse, status: number, type: ErrorType, message: string) {
  sendAwsError(response, status, type, message, "rest-json");
}

function sendGone(response: ServerResponse) {
  sendError(response, 410, "GoneException", "Gone");
}
