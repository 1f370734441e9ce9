/** Lambda events as API Gateway and EventBridge deliver them, for calling handlers directly. */
import { randomUUID } from "node:crypto";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as OrderStatus from "@awsomepets/core/status/event";

/** The edge's value in tests: what `Topology.ENV.originVerify` is set to, and what `throughTheEdge` adds. */
export const ORIGIN_VERIFY = "test-origin-verify-0123456789abcdef";
/** A request's headers as CloudFront passes them on: with the edge's header (core's platform/origin-verify.ts). */
export const throughTheEdge = (headers: Record<string, string> = {}) => ({
  ...headers,
  [OriginVerify.HEADER]: ORIGIN_VERIFY,
});

function requestContext(routeKey: string, eventType: string, connectionId: string) {
  const now = Date.now();
  return {
    routeKey,
    eventType,
    messageDirection: "IN",
    connectionId,
    connectedAt: now,
    requestTimeEpoch: now,
    requestId: randomUUID(),
    extendedRequestId: randomUUID(),
    requestTime: new Date(now).toUTCString(),
    domainName: "abc123.execute-api.us-east-1.amazonaws.com",
    stage: "test",
    apiId: "abc123",
    identity: { sourceIp: "127.0.0.1" },
  };
}

/** What `$connect`'s authorizer allowed the connection with, as API Gateway hands it to `$connect` and every later route. */
const authorizer = (orderId: string | undefined) => (orderId ? { authorizer: { principalId: orderId, orderId } } : {});

/** `$connect` as allowed by its authorizer, which returns the query's orderId (unless told another). */
export function connectEvent(
  connectionId: string,
  query: Record<string, string> | null,
  authorizerOrderId = query?.orderId,
) {
  return {
    headers: throughTheEdge({ Host: "abc123.execute-api.us-east-1.amazonaws.com" }),
    queryStringParameters: query,
    requestContext: { ...requestContext("$connect", "CONNECT", connectionId), ...authorizer(authorizerOrderId) },
    isBase64Encoded: false,
  };
}

export function messageEvent(
  connectionId: string,
  body: string | null,
  routeKey = "$default",
  connectionOrderId?: string,
) {
  return {
    requestContext: {
      ...requestContext(routeKey, "MESSAGE", connectionId),
      messageId: randomUUID(),
      ...authorizer(connectionOrderId),
    },
    body,
    isBase64Encoded: false,
  };
}

export function disconnectEvent(connectionId: string, connectionOrderId?: string) {
  return {
    requestContext: {
      ...requestContext("$disconnect", "DISCONNECT", connectionId),
      disconnectStatusCode: 1000,
      ...authorizer(connectionOrderId),
    },
    isBase64Encoded: false,
  };
}

export function statusEvent(detail: Record<string, unknown>, id = randomUUID()) {
  return {
    version: "0",
    id,
    "detail-type": OrderStatus.DETAIL_TYPE,
    source: OrderStatus.EVENT_SOURCE,
    account: "123456789012",
    time: "2026-11-26T10:00:00Z",
    region: "us-east-1",
    resources: [],
    detail,
  };
}
