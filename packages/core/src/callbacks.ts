/**
 * The callback service: what each route and the EventBridge target do, in terms of the store and
 * the `@connections` API. Handlers parse their events and call these; nothing here reads env.
 */
import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { CallbackStore, HistoryEntry } from "./callback-store";
import { postToAll, postToConnection, DEFAULT_CONCURRENCY, type PostOutcome } from "./delivery";
import { z } from "zod";
import * as CallbackToken from "./callback-token";
import type { Detail } from "./order-status";
import { encode, type StatusFrame } from "./protocol";

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
    super(`${failures.length} post(s) failed with a retryable error`);
    this.name = "RetryableDeliveryError";
  }
}

export function toStatusFrame(entry: HistoryEntry): StatusFrame {
  const frame: StatusFrame = {
    type: "status",
    orderId: entry.orderId,
    status: entry.status,
    occurredAt: entry.occurredAt,
    seq: entry.seq,
  };
  if (entry.reason !== undefined) frame.reason = entry.reason;
  if (entry.amountPaid !== undefined) frame.amountPaid = entry.amountPaid;
  return frame;
}

export type PublishResult = {
  seq: number;
  duplicate: boolean;
  connections: number;
  delivered: number;
  gone: string[];
  rejected: PostOutcome[];
  pending: boolean;
};

/**
 * A status change arrived (at least once, in any order): record it, then push it to every live
 * connection. Re-delivering a duplicate is deliberate — the first attempt may have died before
 * posting — and harmless, since clients drop a seq they already hold.
 */
export async function publishStatus(deps: CallbackDeps, detail: Detail): Promise<PublishResult> {
  const { entry, isNew } = await deps.store.recordStatus(detail);
  const connectionIds = await deps.store.liveConnectionIds(detail.orderId);
  const outcomes = await postToAll(
    deps.management,
    connectionIds,
    encode(toStatusFrame(entry)),
    deps.concurrency ?? DEFAULT_CONCURRENCY,
  );
  const gone = outcomes.filter((o) => o.result === "gone").map((o) => o.connectionId);
  await Promise.all(
    gone.map((connectionId) =>
      deps.store.deleteGoneConnection({
        orderId: detail.orderId,
        connectionId,
        graceMs: deps.connectGraceMs ?? DEFAULT_CONNECT_GRACE_MS,
      }),
    ),
  );
  const delivered = outcomes.filter((o) => o.result === "delivered").length;
  if (delivered > 0 && entry.pendingSince) await deps.store.clearPending(detail.orderId, entry.seq);
  const retryable = outcomes.filter((o) => o.result === "retryable");
  if (retryable.length > 0) throw new RetryableDeliveryError(retryable);
  return {
    seq: entry.seq,
    duplicate: !isNew,
    connections: connectionIds.length,
    delivered,
    gone,
    rejected: outcomes.filter((o) => o.result === "rejected"),
    pending: delivered === 0 && entry.pendingSince !== undefined,
  };
}

export type Admission =
  | { admitted: true }
  | { admitted: false; statusCode: 400 | 401 | 403; reason: string };

/**
 * `$connect`: admit the socket only with a valid token for this very order, then subscribe it.
 * Nothing is written for a refused socket, and nothing is posted (API Gateway forbids it here).
 */
export async function connect(
  deps: Pick<CallbackDeps, "store">,
  input: { connectionId: string; orderId: string | undefined; token: string | undefined; secret: string; now?: Date },
): Promise<Admission> {
  if (!input.orderId || !isUuid(input.orderId)) {
    return { admitted: false, statusCode: 400, reason: "orderId must be the order's UUID" };
  }
  if (!input.token) return { admitted: false, statusCode: 401, reason: "token is missing" };
  const verification = CallbackToken.verify({ orderId: input.orderId, token: input.token, secret: input.secret, now: input.now });
  if (!verification.ok) return { admitted: false, statusCode: 403, reason: `token is ${verification.reason}` };
  await deps.store.putConnection({ orderId: input.orderId, connectionId: input.connectionId });
  return { admitted: true };
}

const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** `$disconnect`: forget the connection. Best-effort on AWS's side, so rows also carry a TTL. */
export const disconnect = (deps: Pick<CallbackDeps, "store">, connectionId: string) =>
  deps.store.deleteConnection(connectionId);

export type SyncResult =
  | { subscribed: false }
  | { subscribed: true; sent: number; lastSeq: number; outcome: PostOutcome["result"] };

/**
 * A client asks for every status after its cursor: post them to it in occurrence order, then a
 * `synced` marker. Statuses it receives are no longer pending.
 */
export async function sync(
  deps: CallbackDeps,
  input: { connectionId: string; orderId: string; after: number },
): Promise<SyncResult> {
  const subscribed = await deps.store.markSynced(input);
  if (!subscribed) return { subscribed: false };
  const history = await deps.store.history(input.orderId);
  const lastSeq = history.reduce((max, entry) => Math.max(max, entry.seq), 0);
  const unseen = history.filter((entry) => entry.seq > input.after);
  let sent = 0;
  // One post at a time: the client sees them in occurrence order.
  for (const entry of unseen) {
    const outcome = await postToConnection(deps.management, input.connectionId, encode(toStatusFrame(entry)));
    if (outcome.result !== "delivered") return { subscribed: true, sent, lastSeq, outcome: outcome.result };
    sent++;
    if (entry.pendingSince) await deps.store.clearPending(input.orderId, entry.seq);
  }
  const done = await postToConnection(
    deps.management,
    input.connectionId,
    encode({ type: "synced", orderId: input.orderId, lastSeq }),
  );
  return { subscribed: true, sent: unseen.length, lastSeq, outcome: done.result };
}
