/**
 * The callback service: what each route and the EventBridge target do, in terms of the store and
 * the `@connections` API. Handlers parse their events and call these; nothing here reads env.
 */
import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { CallbackStore, HistoryEntry } from "./callback-store";
import { DEFAULT_MAX_CONNECTIONS_PER_ORDER } from "./callback-table";
import * as CallbackToken from "./callback-token";
import { isConnectionOpen, postToAll, postToConnection, DEFAULT_CONCURRENCY, type PostOutcome } from "./delivery";
import type { Detail, Status } from "./order-status";
import { encode, errorFrame, parseClientMessage, toStatusFrame, type ErrorFrame } from "./protocol";
import type { SyncRateLimit } from "./sync-rate-limit";
import * as z from "zod/mini";

const OrderId = z.uuid();
type TokenFailure = Extract<CallbackToken.Verification, { ok: false }>["reason"];

export type CallbackDeps = {
  store: CallbackStore;
  management: ApiGatewayManagementApiClient;
  concurrency?: number;
  /** How long after `$connect` a 410 is taken for "not open yet" rather than "gone" (see store). */
  connectGraceMs?: number;
};

export const DEFAULT_CONNECT_GRACE_MS = 30_000;

/** Thrown when some posts failed in a way a retry of the whole event can fix (throttling, 5xx). */
export class RetryableDeliveryError extends Error {
  constructor(readonly failures: PostOutcome[]) {
    // The first cause in the message: it is what a dead letter's `lastError` keeps.
    const first = failures[0] && "error" in failures[0] ? describe(failures[0].error) : "unknown";
    super(`${failures.length} post(s) failed with a retryable error (first: ${first})`);
    this.name = "RetryableDeliveryError";
  }
}

function describe(error: unknown) {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return [e.name, e.code, status && `HTTP ${status}`, e.message].filter(Boolean).join(": ");
}

export type PublishResult = {
  seq: number;
  duplicate: boolean;
  connections: number;
  delivered: number;
  gone: string[];
  rejected: PostOutcome[];
  /** No connection took it: it waits for a `sync` (the seed's pending mark). */
  pending: boolean;
};

/**
 * A status change arrived (at least once, in any order): record it and learn who listens in one
 * write, push it to every live connection, and mark it pending only if none took it. Re-delivering
 * a duplicate is deliberate — the first attempt may have died before posting — and harmless, since
 * clients drop a seq they already hold.
 */
export async function publishStatus(deps: CallbackDeps, detail: Detail, options: { signal?: AbortSignal } = {}): Promise<PublishResult> {
  const { entry, isNew, order } = await deps.store.recordStatus(detail);
  const connectionIds = order.connections.map((c) => c.connectionId);
  const outcomes = await postToAll(
    deps.management,
    connectionIds,
    encode(toStatusFrame(entry)),
    deps.concurrency ?? DEFAULT_CONCURRENCY,
    options,
  );
  const gone = outcomes.filter((o) => o.result === "gone").map((o) => o.connectionId);
  const delivered = outcomes.filter((o) => o.result === "delivered").length;
  const wasPending = order.pending.has(entry.status);
  await Promise.all([
    ...gone.map((connectionId) =>
      deps.store.removeGoneConnection({
        orderId: detail.orderId,
        connectionId,
        graceMs: deps.connectGraceMs ?? DEFAULT_CONNECT_GRACE_MS,
      }),
    ),
    delivered === 0 && !wasPending ? deps.store.markPending(detail.orderId, entry.status) : undefined,
    delivered > 0 && wasPending ? deps.store.clearPending(detail.orderId, [entry.status]) : undefined,
  ]);
  const retryable = outcomes.filter((o) => o.result === "retryable");
  if (retryable.length > 0) throw new RetryableDeliveryError(retryable);
  return {
    seq: entry.seq,
    duplicate: !isNew,
    connections: connectionIds.length,
    delivered,
    gone,
    rejected: outcomes.filter((o) => o.result === "rejected"),
    pending: delivered === 0,
  };
}

export type Refusal = "bad_order_id" | "token_missing" | `token_${TokenFailure}` | "too_many_connections";
export type Admission = { admitted: true } | { admitted: false; statusCode: 400 | 401 | 403 | 429; refusal: Refusal; reason: string };

/**
 * `$connect`: admit the socket only with a valid token for this very order, and only while fewer than
 * `maxConnections` sockets listen to it; then subscribe it. Nothing is written for a refused socket,
 * and nothing is posted (API Gateway forbids it here).
 */
export async function connect(
  deps: Pick<CallbackDeps, "store" | "connectGraceMs"> & { management?: ApiGatewayManagementApiClient },
  input: {
    connectionId: string;
    orderId: string | undefined;
    token: string | undefined;
    secret: string;
    maxConnections?: number;
    now?: Date;
  },
): Promise<Admission> {
  if (!input.orderId || !OrderId.safeParse(input.orderId).success) {
    return { admitted: false, statusCode: 400, refusal: "bad_order_id", reason: "orderId must be the order's UUID" };
  }
  if (!input.token) return { admitted: false, statusCode: 401, refusal: "token_missing", reason: "token is missing" };
  const verification = CallbackToken.verify({ orderId: input.orderId, token: input.token, secret: input.secret, now: input.now });
  if (!verification.ok) {
    return { admitted: false, statusCode: 403, refusal: `token_${verification.reason}`, reason: `token is ${verification.reason}` };
  }
  const maxConnections = input.maxConnections ?? DEFAULT_MAX_CONNECTIONS_PER_ORDER;
  const request = { orderId: input.orderId, connectionId: input.connectionId, maxConnections };
  let added = await deps.store.addConnection(request);
  // At the cap, sockets that died without `$disconnect` may be taking the places: ask API Gateway.
  const management = deps.management;
  if (!added.admitted && management && (await removeClosedConnections({ ...deps, management }, input.orderId, added.connections)) > 0) {
    added = await deps.store.addConnection(request);
  }
  if (!added.admitted) {
    return {
      admitted: false,
      statusCode: 429,
      refusal: "too_many_connections",
      reason: `this order already has ${added.connections.length} open connections (at most ${maxConnections})`,
    };
  }
  return { admitted: true };
}

/**
 * Forgets the order's connections API Gateway says are closed (GetConnection → 410), under the same
 * rule as a 410 on a post: only if synced or past `$connect`'s grace. Costs one GetConnection per
 * connection, and only when an order is at its cap. Returns how many were removed.
 */
async function removeClosedConnections(
  deps: Pick<CallbackDeps, "store" | "connectGraceMs"> & { management: ApiGatewayManagementApiClient },
  orderId: string,
  connections: ReadonlyArray<{ connectionId: string }>,
) {
  const closed = await Promise.all(
    connections.map(async ({ connectionId }) => ((await isConnectionOpen(deps.management, connectionId)) === false ? connectionId : undefined)),
  );
  const removed = await Promise.all(
    closed
      .filter((id): id is string => id !== undefined)
      .map((connectionId) =>
        deps.store.removeGoneConnection({ orderId, connectionId, graceMs: deps.connectGraceMs ?? DEFAULT_CONNECT_GRACE_MS }),
      ),
  );
  return removed.filter(Boolean).length;
}

/** `$disconnect`: forget the connection. Best-effort on AWS's side, so connections also carry a TTL. */
export const disconnect = (deps: Pick<CallbackDeps, "store">, connectionId: string) =>
  deps.store.removeConnection(connectionId);

export type MessageResult =
  | { kind: "invalid"; frame: ErrorFrame }
  | { kind: "rate_limited"; told: boolean }
  | { kind: "not_subscribed"; orderId?: string }
  | { kind: "synced"; orderId: string; after: number; sent: number; lastSeq: number; outcome: PostOutcome["result"] };

/**
 * `$default` (and `sync`): any message asks for every status after its cursor, as in the seed. Too
 * frequent messages are refused before any read; a refusal is said once per streak.
 */
export async function answerMessage(
  deps: CallbackDeps & { rateLimit: SyncRateLimit },
  input: { connectionId: string; body: string | null | undefined },
): Promise<MessageResult> {
  const reply = (frame: ErrorFrame) => postToConnection(deps.management, input.connectionId, encode(frame));
  const admission = deps.rateLimit.take(input.connectionId);
  if (admission !== "allow") {
    if (admission === "limit") {
      await reply(errorFrame("rate_limited", "Too many messages; wait a second, then sync again"));
    }
    return { kind: "rate_limited", told: admission === "limit" };
  }
  const request = parseClientMessage(input.body);
  if ("type" in request) {
    await reply(request);
    return { kind: "invalid", frame: request };
  }
  const result = await sync(deps, { connectionId: input.connectionId, orderId: request.orderId, after: request.after });
  if (result.kind === "not_subscribed") {
    await reply(errorFrame("not_subscribed", "This connection is not subscribed to that order"));
  }
  return result;
}

/**
 * Posts every status after the cursor to the connection, in occurrence order, then a `synced`
 * marker; statuses it received are no longer pending. One write reads the order (and proves the
 * connection belongs to it); one more moves pending marks. A message that does not name its order
 * costs one strongly consistent read to find it.
 */
export async function sync(
  deps: CallbackDeps,
  input: { connectionId: string; orderId?: string; after: number },
): Promise<Extract<MessageResult, { kind: "synced" | "not_subscribed" }>> {
  const orderId = input.orderId ?? (await deps.store.orderOfConnection(input.connectionId));
  if (!orderId) return { kind: "not_subscribed" };
  const order = await deps.store.beginSync({ orderId, connectionId: input.connectionId });
  if (!order) return { kind: "not_subscribed", orderId };
  const unseen = order.history.filter((entry) => entry.seq > input.after);
  const received: Status[] = [];
  let outcome: PostOutcome["result"] = "delivered";
  // One post at a time: the client sees them in occurrence order.
  for (const entry of unseen) {
    outcome = (await postToConnection(deps.management, input.connectionId, encode(toStatusFrame(entry)))).result;
    if (outcome !== "delivered") break;
    received.push(entry.status);
  }
  if (outcome === "delivered") {
    const synced = { type: "synced" as const, orderId, lastSeq: order.lastSeq };
    outcome = (await postToConnection(deps.management, input.connectionId, encode(synced))).result;
  }
  await deps.store.clearPending(orderId, received.filter((status) => order.pending.has(status)));
  return { kind: "synced", orderId, after: input.after, sent: received.length, lastSeq: order.lastSeq, outcome };
}

export type { HistoryEntry };
