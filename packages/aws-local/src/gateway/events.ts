/**
 * Lambda proxy events in the shapes API Gateway WebSocket APIs send, field for field, so handlers
 * written against AWS (including their parsing of optional and null fields) run unchanged.
 */
import type { IncomingMessage } from "node:http";
import type { CloseCause, Connection } from "./connections";
import { newMessageId, newRequestId } from "./ids";

/** What every event of one gateway shares. `domainName` is `host:port`, the management endpoint's authority. */
export type EventScope = { stage: string; apiId: string; domainName: string };

type EventType = "CONNECT" | "MESSAGE" | "DISCONNECT";

/** What a `$connect` authorizer allowed: its `principalId` and its context's keys, on every later event. */
export type AuthorizerContext = Record<string, string>;

export type WebSocketRequestContext = {
  routeKey: string;
  eventType: EventType;
  messageId?: string;
  disconnectStatusCode?: number;
  disconnectReason?: string;
  extendedRequestId: string;
  requestTime: string;
  messageDirection: "IN";
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent: string };
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
  authorizer?: AuthorizerContext;
};

/**
 * The input of a Lambda REQUEST authorizer on `$connect`: the upgrade's request, and an ARN to match its policy
 * against.
 */
export type WebSocketAuthorizerEvent = {
  type: "REQUEST";
  methodArn: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  stageVariables: Record<string, string>;
  requestContext: WebSocketRequestContext;
};

export type WebSocketProxyEvent = {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string> | null;
  multiValueQueryStringParameters?: Record<string, string[]> | null;
  requestContext: WebSocketRequestContext;
  body?: string;
  isBase64Encoded: boolean;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number) => String(value).padStart(2, "0");

/** `19/Jan/2023:21:13:26 +0000`, the CLF timestamp API Gateway puts in `requestTime`. */
export function formatRequestTime(epochMs: number) {
  const at = new Date(epochMs);
  return (
    `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

function requestContext(
  scope: EventScope,
  connection: Connection,
  routeKey: string,
  eventType: EventType,
): WebSocketRequestContext {
  const now = Date.now();
  // API Gateway reports the same id as `requestId` and `extendedRequestId` for WebSocket routes.
  const requestId = newRequestId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(now),
    messageDirection: "IN",
    stage: scope.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: connection.identity.sourceIp, userAgent: connection.identity.userAgent },
    requestId,
    domainName: scope.domainName,
    connectionId: connection.id,
    apiId: scope.apiId,
    // Once `$connect`'s authorizer allowed the connection, every later route sees what it returned.
    ...(connection.authorizer && { authorizer: connection.authorizer }),
  };
}

/** Header names keep the client's spelling, as API Gateway passes them on; the last value of a repeated header wins. */
function upgradeHeaders(request: IncomingMessage, sourceIp: string) {
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!;
    multiValueHeaders[name] ??= [];
    multiValueHeaders[name].push(request.rawHeaders[index + 1]!);
  }
  const port = String(request.socket.localPort ?? "");
  const forwarded: Record<string, string> = {
    "X-Forwarded-For": sourceIp,
    "X-Forwarded-Port": port,
    "X-Forwarded-Proto": "http",
  };
  for (const [name, value] of Object.entries(forwarded)) multiValueHeaders[name] ??= [value];
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([name, values]) => [name, values.at(-1)!]));
  return { headers, multiValueHeaders };
}

/** Like API Gateway: both query fields are null, not `{}`, when the URL has no query parameters. */
function queryParameters(url: URL) {
  const multiValue: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    multiValue[name] ??= [];
    multiValue[name].push(value);
  }
  if (Object.keys(multiValue).length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single = Object.fromEntries(Object.entries(multiValue).map(([name, values]) => [name, values.at(-1)!]));
  return { queryStringParameters: single, multiValueQueryStringParameters: multiValue };
}

export function buildConnectEvent(
  scope: EventScope,
  connection: Connection,
  request: IncomingMessage,
  url: URL,
): WebSocketProxyEvent {
  return {
    ...upgradeHeaders(request, connection.identity.sourceIp),
    ...queryParameters(url),
    requestContext: requestContext(scope, connection, "$connect", "CONNECT"),
    isBase64Encoded: false,
  };
}

/** The authorizer sees the upgrade as `$connect` will (same request id); `$connect` then gets its context. */
export function buildAuthorizerEvent(connectEvent: WebSocketProxyEvent, methodArn: string): WebSocketAuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn,
    headers: connectEvent.headers ?? {},
    multiValueHeaders: connectEvent.multiValueHeaders ?? {},
    queryStringParameters: connectEvent.queryStringParameters ?? null,
    multiValueQueryStringParameters: connectEvent.multiValueQueryStringParameters ?? null,
    stageVariables: {},
    requestContext: { ...connectEvent.requestContext },
  };
}

/** Text frames arrive as the string; binary frames base64-encoded with `isBase64Encoded`. */
export function buildMessageEvent(
  scope: EventScope,
  connection: Connection,
  routeKey: string,
  data: Buffer,
  isBinary: boolean,
): WebSocketProxyEvent {
  return {
    requestContext: { ...requestContext(scope, connection, routeKey, "MESSAGE"), messageId: newMessageId() },
    body: isBinary ? data.toString("base64") : data.toString("utf8"),
    isBase64Encoded: isBinary,
  };
}

/** `$disconnect` carries no client headers (the client is gone), only the placeholders API Gateway sends. */
export function buildDisconnectEvent(
  scope: EventScope,
  connection: Connection,
  cause: CloseCause,
): WebSocketProxyEvent {
  const headers = { Host: scope.domainName, "x-api-key": "", "X-Forwarded-For": "", "x-restapi": "" };
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  return {
    headers,
    multiValueHeaders,
    requestContext: {
      ...requestContext(scope, connection, "$disconnect", "DISCONNECT"),
      disconnectStatusCode: cause.code,
      disconnectReason: cause.reason,
    },
    isBase64Encoded: false,
  };
}
