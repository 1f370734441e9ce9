/**
 * The WebSocket protocol as an AsyncAPI 3.0 document, from the application's side (the callback API):
 * it receives `sync` and sends `status`, `synced` and `error` frames — and API Gateway, in their
 * stead, its own `gatewayError` frames. docs/protocol.md is the prose.
 */
import type * as Callbacks from "@awsomepets/core/callbacks/service";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { GATEWAY_MESSAGES, SYNC_ANSWER_TIMEOUT_MS } from "../../packages/client/src/order-timeline";
import { ErrorFrame, jsonSchema, OrderStatus, Protocol, StatusFrame, SyncedFrame } from "./schemas";

const schema = (s: Parameters<typeof jsonSchema>[0]) => jsonSchema(s, "draft-7");

/** What each error code means and what a client does about it (the record fails to compile when a code is added). */
export const ERROR_CODE_MEANINGS: Record<Protocol.ErrorCode, string> = {
  bad_request: "The message is not JSON, not an object, or has invalid fields. Fix the message.",
  unknown_action: 'The message has an `action` other than "sync". Fix the message.',
  not_subscribed:
    "This connection holds no subscription to that order: it was admitted for another order, or it expired or was removed after a 410. Open a new socket with the clientCallbackUrl.",
  rate_limited: `Too many messages on this socket (a token bucket of ${SyncRateLimit.DEFAULT_SYNC_RATE.perSecond}/s with a burst of ${SyncRateLimit.DEFAULT_SYNC_RATE.burst} by default; on AWS per warm container). Said once per streak; further messages in the streak are dropped silently. Wait, then send \`sync\` again.`,
  internal: "The server failed to answer. Send the `sync` again (with backoff).",
};

/** `$connect`'s refusals: the HTTP status of the failed upgrade (the record fails to compile when core adds one). */
export const CONNECT_REFUSALS: Record<Extract<Callbacks.ConnectAdmission, { admitted: false }>["statusCode"], string> =
  {
    400: "`$connect` got no order id from its authorizer (not reachable through API Gateway, whose authorizer denies an `orderId` that is not a UUID with 403 first).",
    401: "`orderId` (answered by API Gateway before any function runs) or `token` is missing or empty, also when there is no query string at all.",
    403: `\`token\` is malformed, forged, signed for another order or stage, expired, expiring more than 24 h ahead, or signed with a secret the stage no longer holds, or \`orderId\` is not a UUID (denied by the authorizer). Expired links do not come back: ask the shop for the order again.`,
    429: "The order already has MAX_CONNECTIONS_PER_ORDER sockets open (10 by default). Retry later with backoff.",
  };

const SEQ_SEMANTICS =
  "`seq` is the status's position in the order's history: 1, 2, 3, … with no gaps and no repeats, assigned once per (order, status) in the order the statuses arrived. The same status always comes with the same seq, however often it is sent: a client drops a seq it already holds.";

const CURSOR_SEMANTICS =
  "`after` is the client's cursor: the highest n such that the client holds every seq from 1 to n (0 or absent: it holds nothing). The server answers with every status whose seq is greater, in occurrence order (`occurredAt`, then `seq`), then `synced`.";

export function asyncApiDocument() {
  const refusals = Object.entries(CONNECT_REFUSALS)
    .map(([status, meaning]) => `- **${status}**: ${meaning}`)
    .join("\n");
  return {
    asyncapi: "3.0.0",
    info: {
      title: "AWSomePets order-status WebSocket",
      version: "1.0.0",
      description: [
        "Pushes one order's statuses to whoever holds its `clientCallbackUrl` (from `POST /orders`).",
        "All frames are JSON text.",
        "",
        "What a client does: on every open send `sync` with its cursor; drop a `status` whose seq it holds; when it holds a seq above cursor + 1, wait for `synced` and sync again if a gap remains; show statuses sorted by `occurredAt`, then `seq` (`completed` and `cancelled` are terminal, yet an earlier status may still arrive after them); on close, reconnect with exponential backoff and jitter.",
        "",
        SEQ_SEMANTICS,
        "",
        CURSOR_SEMANTICS,
      ].join("\n"),
    },
    defaultContentType: "application/json",
    servers: {
      aws: {
        host: "{apiId}.execute-api.{region}.amazonaws.com",
        pathname: "/{stage}",
        protocol: "wss",
        description: "The stage's API Gateway WebSocket API. `npm start` serves the same protocol on ws://127.0.0.1.",
        variables: {
          apiId: { description: "The WebSocket API's id." },
          region: { description: "The AWS region.", default: "eu-west-1" },
          stage: { description: "The stage.", default: "prod" },
        },
      },
    },
    channels: {
      order: {
        address: "/",
        title: "One order's statuses",
        description: [
          "Opened with the `clientCallbackUrl`: the server URL with `?orderId={uuid}&token={token}`.",
          `The token is \`v2.<keyId>.<expiresAt epoch seconds>.<base64url HMAC-SHA256>\`, signed for one order of one stage and valid ${CallbackToken.DEFAULT_TTL_SECONDS / 3600} hours (never longer); docs/protocol.md, "The callback token", says how to mint one. Links handed out before v2 carry \`<expiresAt>.<signature>\` and stay valid until they expire.`,
          "",
          "`$connect` refuses the upgrade with an HTTP status; a refused socket never opens and nothing is stored:",
          refusals,
          "",
          "A browser's WebSocket does not see the status of a failed upgrade (it sees a close before open): a client that needs to tell an expired link from a network failure asks `GET /orders/{orderId}` with the same token (403 = the link is no longer valid).",
          "API Gateway closes a socket after 10 minutes idle and after 2 hours; frames are at most 128 KB.",
        ].join("\n"),
        messages: {
          sync: { $ref: "#/components/messages/sync" },
          status: { $ref: "#/components/messages/status" },
          synced: { $ref: "#/components/messages/synced" },
          error: { $ref: "#/components/messages/error" },
          gatewayError: { $ref: "#/components/messages/gatewayError" },
        },
        bindings: {
          ws: {
            method: "GET",
            query: {
              type: "object",
              properties: {
                orderId: { type: "string", format: "uuid", description: "The order's id." },
                token: {
                  type: "string",
                  pattern: CallbackToken.TOKEN_PATTERN,
                  description:
                    "The order's callback token: `v2.<keyId>.<expiresAt>.<signature>` (or, issued before v2, `<expiresAt>.<signature>`).",
                },
              },
              required: ["orderId", "token"],
            },
            bindingVersion: "0.1.0",
          },
        },
        "x-connect-refusals": CONNECT_REFUSALS,
      },
    },
    operations: {
      sync: {
        action: "receive",
        channel: { $ref: "#/channels/order" },
        title: "Sync from a cursor",
        summary: "Send every status after the cursor, then `synced`.",
        description: `Any JSON object is such a request (an \`action\` other than "sync" gets \`unknown_action\`). ${CURSOR_SEMANTICS} A \`sync\` is over, unanswered, on an \`error\` or a \`gatewayError\` frame, and after ${SYNC_ANSWER_TIMEOUT_MS / 1000} s without an answer (longer than API Gateway waits for the route's function): send it again after a backoff with jitter, or a later gap waits for the socket to close.`,
        messages: [{ $ref: "#/channels/order/messages/sync" }],
        reply: {
          channel: { $ref: "#/channels/order" },
          messages: [
            { $ref: "#/channels/order/messages/status" },
            { $ref: "#/channels/order/messages/synced" },
            { $ref: "#/channels/order/messages/error" },
            { $ref: "#/channels/order/messages/gatewayError" },
          ],
        },
      },
      pushStatus: {
        action: "send",
        channel: { $ref: "#/channels/order" },
        title: "Push a new status",
        summary: "Each status the order reaches is pushed to every socket open on it, as it happens.",
        messages: [{ $ref: "#/channels/order/messages/status" }],
      },
      sendError: {
        action: "send",
        channel: { $ref: "#/channels/order" },
        summary: "A message could not be served; the connection stays open.",
        messages: [{ $ref: "#/channels/order/messages/error" }],
      },
    },
    components: {
      messages: {
        sync: {
          name: "sync",
          title: "Sync request",
          summary: "Client → server: send me every status after `after`.",
          payload: schema(Protocol.SyncRequest),
          examples: [{ name: "resume", payload: { action: "sync", after: 3 } }],
        },
        status: {
          name: "status",
          title: "Status",
          summary: "One status of the order.",
          description: `${SEQ_SEMANTICS} \`reason\` (on cancelled, released, refunded) and \`amountPaid\` (on paid) appear when the event carried them. \`occurredAt\` is UTC with milliseconds.`,
          payload: schema(StatusFrame),
          examples: [
            {
              name: "paid",
              payload: {
                type: "status",
                orderId: "0b5e3c1e-6a0f-4d6e-9a55-3f0c2a9b7d11",
                status: "paid",
                occurredAt: "2026-11-26T10:00:02.000Z",
                seq: 3,
                amountPaid: 42.5,
              },
            },
          ],
        },
        synced: {
          name: "synced",
          title: "Synced",
          summary: "Ends the answer to a `sync`: the server holds statuses up to `lastSeq`.",
          payload: schema(SyncedFrame),
        },
        error: {
          name: "error",
          title: "Error",
          summary: "A message could not be served; the connection stays open.",
          description: Object.entries(ERROR_CODE_MEANINGS)
            .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
            .join("\n"),
          payload: schema(ErrorFrame),
          examples: [
            {
              name: "rate_limited",
              payload: { type: "error", code: "rate_limited", message: "Too many messages; wait, then sync again" },
            },
          ],
        },
        gatewayError: {
          name: "gatewayError",
          title: "API Gateway's own frame",
          summary:
            "API Gateway did not deliver a message and says so itself, without a `type`; the connection stays open.",
          description: [
            "- `Too Many Requests`: the stage's message throttle (a token bucket per route) was empty; a reconnect wave of a few hundred sockets empties it.",
            "- `Internal server error`: the route's function failed or timed out.",
            "- `Forbidden`: no route took the message.",
            "",
            "Any frame without a `type` (or not a JSON object) counts as one: it ends the `sync` it answers; send the `sync` again after a backoff with jitter.",
          ].join("\n"),
          payload: {
            type: "object",
            properties: {
              message: { type: "string", enum: [...GATEWAY_MESSAGES] },
              connectionId: { type: "string" },
              requestId: { type: "string" },
            },
            required: ["message"],
          },
          examples: [
            {
              name: "throttled",
              payload: {
                message: "Too Many Requests",
                connectionId: "L0SM9cOFvHcCIhw=",
                requestId: "L0SM9FxoIAMF-3w=",
              },
            },
          ],
        },
      },
    },
    "x-statuses": { all: OrderStatus.STATUSES, terminal: [...OrderStatus.TERMINAL_STATUSES] },
  };
}
