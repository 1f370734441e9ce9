/**
 * The callback service: what each route and the EventBridge target do, in terms of the store and
 * the `@connections` API. Handlers parse their events and call these; nothing here reads env.
 * Every function takes `{ signal }`, the invocation's deadline: each DynamoDB request and each post
 * is cut when it aborts (a slow dependency then fails the call as retryable, never kills it).
 */
import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { CallbackStore, CallOptions, StoredRecord, MessageAdmission } from "./store";
import { DEFAULT_MAX_CONNECTIONS_PER_ORDER } from "./table";
import { AFTER_DEADLINE_GRACE_MS, graceAfterDeadline } from "../platform/deadline";
import * as CallbackToken from "./token";
import {
  isConnectionOpen,
  postToAll,
  postToConnection,
  DEFAULT_CONCURRENCY,
  type PostOutcome,
} from "../delivery/fan-out";
import type { Status, StatusRecord } from "../status/event";
import { encode, errorFrame, parseClientMessage, toStatusFrame, type ErrorFrame, type SyncRequest } from "./protocol";
import { DEFAULT_SYNC_RATE, type SyncRate } from "./rate-limit";
import * as z from "zod/mini";

/**
 * A signal that aborts `AFTER_DEADLINE_GRACE_MS` after `signal`'s deadline (none without one): one
 * grace per invocation, however many calls ask for it (../platform/deadline `graceAfterDeadline`).
 *
 * @example
 * // the handler's catch, after a sync whose clean-up already ran into the grace:
 * await postToConnection(management, connectionId, frame, { signal: graceAfter(signal) }); // the rest of it
 */
export function graceAfter(signal: AbortSignal | undefined): AbortSignal | undefined {
  return graceAfterDeadline(signal, AFTER_DEADLINE_GRACE_MS);
}

const OrderId = z.uuid();
type TokenFailure = Extract<CallbackToken.Verification, { ok: false }>["reason"];

export type CallbackDeps = {
  store: CallbackStore;
  management: ApiGatewayManagementApiClient;
  concurrency?: number;
  /** How long after `$connect` a 410 is taken for "not open yet" rather than "gone" (see store). */
  connectGraceMs?: number;
  /** Messages one socket may send: rate and burst of its bucket in the order's item. */
  syncRate?: SyncRate;
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
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
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
  /** New and no connection took it: pending until a `sync` delivers it (the seed's pending mark). */
  pending: boolean;
};

/**
 * A status change arrived (at least once, in any order): record it and learn who listens in one
 * write, push it to every live connection. New and nobody took it: it is pending — by derivation if
 * nobody listened when it was recorded (no write: the common case, `placed` before the browser's
 * socket), marked if posts to listeners all failed. Re-delivering a duplicate is deliberate — the
 * first attempt may have died before posting — and harmless, since clients drop a seq they already
 * hold; a duplicate that reaches a client clears the mark (and a duplicate never sets it: the first
 * delivery may have reached someone).
 */
export async function publishStatus(
  deps: CallbackDeps,
  detail: StatusRecord,
  { signal }: CallOptions = {},
): Promise<PublishResult> {
  const { entry, isNew, order } = await deps.store.recordStatus(detail, { signal });
  const connectionIds = order.connections.map((c) => c.connectionId);
  const outcomes = await postToAll(
    deps.management,
    connectionIds,
    encode(toStatusFrame(entry)),
    deps.concurrency ?? DEFAULT_CONCURRENCY,
    {
      signal,
    },
  );
  const gone = outcomes.filter((o) => o.result === "gone").map((o) => o.connectionId);
  const delivered = outcomes.filter((o) => o.result === "delivered").length;
  // Recording what the posts did still runs if the signal cut them: that is what the reserve is for.
  const after = { signal: graceAfter(signal) };
  const nobodyTookIt = isNew && delivered === 0;
  const pendingAlready = order.pending.has(entry.status); // recorded with no listener: pending by derivation
  const [marked] = await Promise.all([
    nobodyTookIt && !pendingAlready
      ? deps.store.markPending(detail.orderId, [entry.status], order.handovers, after)
      : false,
    !isNew && delivered > 0 ? deps.store.handedOver(detail.orderId, entry.status, after) : undefined,
    ...gone.map((connectionId) =>
      deps.store.removeGoneConnection(
        {
          orderId: detail.orderId,
          connectionId,
          graceMs: deps.connectGraceMs ?? DEFAULT_CONNECT_GRACE_MS,
          // As read before the post: a sync since then does not prove the socket was open at the post.
          syncedAt: order.connections.find((c) => c.connectionId === connectionId)?.syncedAt,
        },
        after,
      ),
    ),
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
    pending: nobodyTookIt && (pendingAlready || marked === true),
  };
}

export type Refusal = "bad_order_id" | "token_missing" | `token_${TokenFailure}` | "too_many_connections";
/** `$connect`'s answer to a socket: admitted, or refused with the HTTP status the client sees (docs/protocol.md). */
export type ConnectAdmission =
  | { admitted: true }
  | { admitted: false; statusCode: 400 | 401 | 403 | 429; refusal: Refusal; reason: string };

/**
 * `$connect`: admit the socket only with a valid token for this very order, and only while fewer than
 * `maxConnections` sockets listen to it; then subscribe it. Nothing is kept for a refused socket,
 * and nothing is posted (API Gateway forbids it here).
 */
export async function connect(
  deps: Pick<CallbackDeps, "store" | "connectGraceMs"> & { management?: ApiGatewayManagementApiClient },
  input: {
    connectionId: string;
    orderId: string | undefined;
    token: string | undefined;
    /** The stage's token secrets and its name, which the token must be signed for. */
    keys: CallbackToken.Keys;
    stage: string;
    maxConnections?: number;
    now?: Date;
  },
  options: CallOptions = {},
): Promise<ConnectAdmission> {
  if (!input.orderId || !OrderId.safeParse(input.orderId).success) {
    return { admitted: false, statusCode: 400, refusal: "bad_order_id", reason: "orderId must be the order's UUID" };
  }
  if (!input.token) return { admitted: false, statusCode: 401, refusal: "token_missing", reason: "token is missing" };
  const verification = CallbackToken.verify({
    orderId: input.orderId,
    stage: input.stage,
    token: input.token,
    keys: input.keys,
    now: input.now,
  });
  if (!verification.ok) {
    return {
      admitted: false,
      statusCode: 403,
      refusal: `token_${verification.reason}`,
      reason: `token is ${verification.reason}`,
    };
  }
  const maxConnections = input.maxConnections ?? DEFAULT_MAX_CONNECTIONS_PER_ORDER;
  const request = { orderId: input.orderId, connectionId: input.connectionId, maxConnections };
  let added = await deps.store.addConnection(request, options);
  // At the cap, sockets that died without `$disconnect` may be taking the places: ask API Gateway.
  const management = deps.management;
  if (
    !added.admitted &&
    management &&
    (await removeClosedConnections({ ...deps, management }, input.orderId, added.connections, options)) > 0
  ) {
    added = await deps.store.addConnection(request, options);
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
 * rule as a 410 on a post: only if synced before the item was read or past `$connect`'s grace. Costs one GetConnection
 * per
 * connection, and only when an order is at its cap. Returns how many were removed.
 */
async function removeClosedConnections(
  deps: Pick<CallbackDeps, "store" | "connectGraceMs"> & { management: ApiGatewayManagementApiClient },
  orderId: string,
  connections: ReadonlyArray<{ connectionId: string; syncedAt?: number }>,
  options: CallOptions,
) {
  const closed = await Promise.all(
    connections.map(async (c) =>
      (await isConnectionOpen(deps.management, c.connectionId, options)) === false ? c : undefined,
    ),
  );
  const removed = await Promise.all(
    closed
      .filter((c) => c !== undefined)
      .map(({ connectionId, syncedAt }) =>
        deps.store.removeGoneConnection(
          { orderId, connectionId, graceMs: deps.connectGraceMs ?? DEFAULT_CONNECT_GRACE_MS, syncedAt },
          options,
        ),
      ),
  );
  return removed.filter(Boolean).length;
}

export type MessageResult =
  | { kind: "invalid"; frame: ErrorFrame }
  | { kind: "rate_limited"; told: boolean }
  | { kind: "not_subscribed"; orderId?: string }
  | { kind: "synced"; orderId: string; after: number; sent: number; lastSeq: number; outcome: PostOutcome["result"] };

/**
 * `$default` (and `sync`): any message asks for every status after its cursor, as in the seed. Every
 * message — a sync, an invalid one, one naming another order — takes room in the connection's bucket
 * (in the order's item, see CallbackStore.admitMessage), so one socket's flood is answered at most
 * burst + rate per second however many execution environments Lambda spreads it over; a refusal
 * costs that one write and is said once per streak.
 */
export async function answerMessage(
  deps: CallbackDeps,
  input: { connectionId: string; connectionOrderId?: string; body: string | null | undefined },
  options: CallOptions = {},
): Promise<MessageResult> {
  const request = parseClientMessage(input.body);
  const invalid = "type" in request;
  const { orderId, admission } = await admit(deps, input, invalid ? undefined : request.orderId, options);
  if (admission.kind === "limited") return refuse(deps, input.connectionId, admission.tell, options);
  if (invalid) {
    await postToConnection(deps.management, input.connectionId, encode(request), options);
    return { kind: "invalid", frame: request };
  }
  return answerSync(deps, { connectionId: input.connectionId, orderId, after: request.after }, admission, options);
}

/**
 * A parsed `sync` (as `answerMessage` answers it): posts every status after the cursor, in occurrence
 * order, then a `synced` marker; statuses it received are no longer pending. One write admits the
 * message, reads the order and proves the connection belongs to it (two in a burst); one more only
 * where a mark has to move. A message that does not name its order is for the connection's own
 * (`connectionOrderId`, from the `$connect` authorizer's context, which API Gateway hands to every
 * route of the connection).
 */
export async function sync(
  deps: CallbackDeps,
  input: { connectionId: string; connectionOrderId?: string; orderId?: string; after: number },
  options: CallOptions = {},
): Promise<Exclude<MessageResult, { kind: "invalid" }>> {
  const { orderId, admission } = await admit(deps, input, input.orderId, options);
  if (admission.kind === "limited") return refuse(deps, input.connectionId, admission.tell, options);
  return answerSync(deps, { connectionId: input.connectionId, orderId, after: input.after }, admission, options);
}

/**
 * The message's room in its connection's bucket, in the order it names (else the connection's own).
 * A message naming an order the connection does not hold is first charged to the one it holds, so
 * that asking for other orders is limited like anything else and a limited socket writes nothing on
 * them; a connection that holds none cannot be charged.
 */
async function admit(
  deps: CallbackDeps,
  connection: { connectionId: string; connectionOrderId?: string },
  named: string | undefined,
  options: CallOptions,
): Promise<{ orderId?: string; admission: MessageAdmission }> {
  const rate = deps.syncRate ?? DEFAULT_SYNC_RATE;
  const { connectionId, connectionOrderId: held } = connection;
  const orderId = named ?? held;
  if (!orderId) return { admission: { kind: "not_subscribed" } };
  if (held && held !== orderId) {
    const charged = await deps.store.admitMessage({ orderId: held, connectionId, rate, held: true }, options);
    if (charged.kind === "limited") return { orderId, admission: charged };
  }
  return {
    orderId,
    admission: await deps.store.admitMessage({ orderId, connectionId, rate, held: orderId === held }, options),
  };
}

async function refuse(deps: CallbackDeps, connectionId: string, tell: boolean, options: CallOptions) {
  if (tell)
    await postToConnection(
      deps.management,
      connectionId,
      encode(errorFrame("rate_limited", "Too many messages; wait a second, then sync again")),
      options,
    );
  return { kind: "rate_limited" as const, told: tell };
}

async function answerSync(
  deps: CallbackDeps,
  input: { connectionId: string; orderId?: string; after: SyncRequest["after"] },
  admission: Exclude<MessageAdmission, { kind: "limited" }>,
  { signal }: CallOptions,
): Promise<Extract<MessageResult, { kind: "synced" | "not_subscribed" }>> {
  if (admission.kind === "not_subscribed") {
    await postToConnection(
      deps.management,
      input.connectionId,
      encode(errorFrame("not_subscribed", "This connection is not subscribed to that order")),
      {
        signal,
      },
    );
    return input.orderId ? { kind: "not_subscribed", orderId: input.orderId } : { kind: "not_subscribed" };
  }
  const { order } = admission;
  const orderId = input.orderId!;
  const unseen = order.history.filter((entry) => entry.seq > input.after);
  const received: Status[] = [];
  let outcome: PostOutcome["result"] = "delivered";
  // One post at a time: the client sees them in occurrence order.
  for (const entry of unseen) {
    outcome = (await postToConnection(deps.management, input.connectionId, encode(toStatusFrame(entry)), { signal }))
      .result;
    if (outcome !== "delivered") break;
    received.push(entry.status);
  }
  if (outcome === "delivered") {
    const synced = { type: "synced" as const, orderId, lastSeq: order.lastSeq };
    outcome = (await postToConnection(deps.management, input.connectionId, encode(synced), { signal })).result;
  }
  // What the client received is no longer pending, even if the signal cut the rest (the reserve's
  // writes): marks are cleared; a status pending by derivation is not any more (the admission moved
  // `syncedSeq`), so one this answer failed to deliver is marked instead. Both rare: no write when
  // nothing was marked and every post went through.
  const after = { signal: graceAfter(signal) };
  const undelivered = unseen.map((entry) => entry.status).filter((status) => !received.includes(status));
  await Promise.all([
    deps.store.clearPending(
      orderId,
      received.filter((status) => order.marked.has(status)),
      after,
    ),
    deps.store.markPending(
      orderId,
      undelivered.filter((status) => order.pending.has(status) && !order.marked.has(status)),
      order.handovers,
      after,
    ),
  ]);
  // Cut by the deadline: the client has part of the answer and no `synced`; the handler says `internal`.
  signal?.throwIfAborted();
  return { kind: "synced", orderId, after: input.after, sent: received.length, lastSeq: order.lastSeq, outcome };
}

/** The answer to a message that failed (a slow dependency, the deadline): `internal`, "send it again". */
export async function answerFailure(
  deps: Pick<CallbackDeps, "management">,
  connectionId: string,
  { signal }: CallOptions = {},
) {
  return postToConnection(deps.management, connectionId, encode(errorFrame("internal", "Sync failed; send it again")), {
    signal: graceAfter(signal),
  });
}

export type { StoredRecord };
