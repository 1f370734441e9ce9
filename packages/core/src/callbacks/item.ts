/**
 * The order's item of `ClientCallbackTbl` (see ./table), read through a schema: its history
 * with seqs, its pending marks and its live connections. A malformed attribute fails loudly here
 * rather than travelling on as a half-typed object.
 */
import * as z from "zod/mini";
import * as CallbackTable from "./table";
import { byOccurrence, STATUSES, type SequencedRecord, type Status } from "../status/model";
import type { StoredBucket } from "./rate-limit";

const F = CallbackTable.ENTRY_FIELDS;
const StoredEntry = z.object({
  [F.status]: z.enum(STATUSES),
  [F.occurredAt]: z.string(),
  [F.recordedAt]: z.number(),
  [F.reason]: z.optional(z.string()),
  [F.reasonKey]: z.optional(z.string()),
  [F.amountPaid]: z.optional(z.number()),
});
/** An entry written by the layout before the short names (a deploy mid-order). */
const LegacyEntry = z.object({
  status: z.enum(STATUSES),
  occurredAt: z.string(),
  reason: z.optional(z.string()),
  amountPaid: z.optional(z.number()),
  recordedAt: z.string(),
});

const C = CallbackTable.CONNECTION_FIELDS;
const StoredConnection = z.object({
  [C.connectedAt]: z.number(),
  [C.syncedAt]: z.optional(z.number()),
  // The connection's message bucket (./rate-limit), absent until its first message.
  [C.idleTat]: z.optional(z.number()),
  [C.burstTat]: z.optional(z.number()),
  [C.toldTat]: z.optional(z.number()),
});
/** A connection of the layout before the short names: its own expiry, the same fields spelled out. */
const LegacyConnection = z.object({
  connectedAt: z.number(),
  syncedAt: z.optional(z.number()),
  expiresAt: z.number(),
  idleTat: z.optional(z.number()),
  burstTat: z.optional(z.number()),
  toldTat: z.optional(z.number()),
});

const StoredOrder = z.object({
  history: z.optional(z.array(z.union([StoredEntry, LegacyEntry]))),
  pending: z.optional(z.set(z.enum(STATUSES))),
  connCount: z.optional(z.number()),
  handovers: z.optional(z.number()),
  lastSeq: z.optional(z.number()),
  syncedSeq: z.optional(z.number()),
  // Written by the layout before `syncedSeq` (a deploy mid-order): read for its statuses only.
  lastSyncedAt: z.optional(z.number()),
});
const Listeners = z.number();

/** A status record as the order's item keeps it: with its seq and `recordedAt` (the operators' oldest-first list). */
export type StoredRecord = SequencedRecord & { recordedAt: string };

export type LiveConnection = { connectionId: string; connectedAt: number; syncedAt?: number; bucket: StoredBucket };

type AnyEntry = z.infer<typeof StoredEntry> | z.infer<typeof LegacyEntry>;

/** An entry of either layout as the store returns it (a long reason read from its attribute). */
function entryOf(stored: AnyEntry, item: Record<string, unknown> | undefined): Omit<StoredRecord, "orderId" | "seq"> {
  if ("status" in stored) return withoutUndefined(stored);
  const key = stored[F.reasonKey];
  const reason = key === undefined ? stored[F.reason] : longReason(stored, key, item);
  return withoutUndefined({
    status: stored[F.status],
    occurredAt: stored[F.occurredAt],
    reason,
    amountPaid: stored[F.amountPaid],
    recordedAt: new Date(stored[F.recordedAt]).toISOString(),
  });
}

/**
 * An entry's long reason, from its `r#<key>` attribute. Written in the same update as the entry, so
 * never missing — but if it is (a hand edit, a bad restore), every reader of the order would fail:
 * the entry says a generic reason instead, and a log line (Lambda keeps stderr) names what is missing.
 */
function longReason(stored: z.infer<typeof StoredEntry>, key: string, item: Record<string, unknown> | undefined) {
  const attribute = CallbackTable.reasonAttribute(key);
  const value = item?.[attribute];
  if (typeof value === "string") return value;
  const orderId = item?.[CallbackTable.PARTITION_KEY];
  console.warn(
    JSON.stringify({
      level: "WARN",
      message: "An order's history entry names a reason attribute that holds no text",
      orderId,
      status: stored[F.status],
      attribute,
    }),
  );
  return CallbackTable.UNREADABLE_REASON;
}

/** A connection attribute of either layout, or undefined for any other attribute. */
function connectionOf(attribute: string, value: unknown) {
  if (attribute.startsWith(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX)) {
    const c = StoredConnection.parse(value);
    return {
      connectionId: attribute.slice(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX.length),
      connectedAt: c[C.connectedAt],
      syncedAt: c[C.syncedAt],
      expiresAt: CallbackTable.connectionExpiresAt(c[C.connectedAt]),
      bucket: { idleTat: c[C.idleTat], burstTat: c[C.burstTat], toldTat: c[C.toldTat] },
    };
  }
  if (attribute.startsWith(CallbackTable.LEGACY_CONNECTION_ATTRIBUTE_PREFIX)) {
    const c = LegacyConnection.parse(value);
    return {
      connectionId: attribute.slice(CallbackTable.LEGACY_CONNECTION_ATTRIBUTE_PREFIX.length),
      connectedAt: c.connectedAt,
      syncedAt: c.syncedAt,
      expiresAt: c.expiresAt,
      bucket: { idleTat: c.idleTat, burstTat: c.burstTat, toldTat: c.toldTat },
    };
  }
  return undefined;
}

export type OrderCallbacks = {
  /** Every recorded status, in occurrence order (seq = position in the stored list + 1). */
  history: StoredRecord[];
  /**
   * Statuses no client has received yet: recorded with no listener and no message admitted since
   * (derived, see ./table), or marked.
   */
  pending: Set<Status>;
  /** The marked ones alone: what a delivery has to clear with a write. */
  marked: Set<Status>;
  /** Connections listening now (expired ones left out). */
  connections: LiveConnection[];
  /** Attribute names of expired connections, for a writer to prune. */
  expiredConnectionAttributes: string[];
  /** Connections counted (added, not yet removed): what the socket cap is checked against. */
  connCount: number;
  /** The highest seq recorded: the cursor a client holding everything has. */
  lastSeq: number;
  /**
   * Messages answered from this item, and duplicates delivered: bumped by every write through which a
   * client may receive a recorded status without the callback's own posts (see `markPending`).
   */
  handovers: number;
};

export function parseOrderItem(
  orderId: string,
  item: Record<string, unknown> | undefined,
  nowSeconds: number,
): OrderCallbacks {
  const stored = StoredOrder.parse(item ?? {});
  const history = (stored.history ?? []).map(
    (entry, index): StoredRecord => ({ ...entryOf(entry, item), orderId, seq: index + 1 }),
  );
  const marked = new Set(stored.pending ?? []);
  const heardByNobody = (entry: StoredRecord) =>
    Listeners.parse(item?.[CallbackTable.listenersAttribute(entry.status)] ?? 0) === 0 &&
    !handedOver(stored, history.length, entry);
  const pending = new Set([...marked, ...history.filter(heardByNobody).map((entry) => entry.status)]);
  const connections: LiveConnection[] = [];
  const expiredConnectionAttributes: string[] = [];
  for (const [attribute, value] of Object.entries(item ?? {})) {
    const connection = connectionOf(attribute, value);
    if (!connection) continue;
    if (connection.expiresAt <= nowSeconds) {
      expiredConnectionAttributes.push(attribute);
      continue;
    }
    const live: LiveConnection = {
      connectionId: connection.connectionId,
      connectedAt: connection.connectedAt,
      bucket: withoutUndefined(connection.bucket),
    };
    if (connection.syncedAt !== undefined) live.syncedAt = connection.syncedAt;
    connections.push(live);
  }
  return {
    history: history.sort(byOccurrence),
    pending,
    marked,
    connections,
    expiredConnectionAttributes,
    connCount: stored.connCount ?? 0,
    lastSeq: history.length,
    handovers: stored.handovers ?? 0,
  };
}

/**
 * Whether an admitted message read this status (so a `sync` handed it over, or marked it), from the
 * item's own order of writes (./table): the record write counts statuses (`lastSeq`) and
 * a message's write copies that count (`syncedSeq`), so the status counted n-th was read iff
 * n ≤ syncedSeq. No clock: the callback and the message handler run on different hosts.
 *
 * Statuses recorded before the item counted them (the layout before, a deploy mid-order) are the
 * first `length - lastSeq` seqs, since every counted one is appended after them. One of those
 * was read if a message was admitted since the count began (`syncedSeq` exists: that message read
 * the whole history) or, as that layout judged it, if it was recorded before `lastSyncedAt`.
 */
function handedOver(stored: z.infer<typeof StoredOrder>, length: number, entry: StoredRecord) {
  const counted = entry.seq - (length - (stored.lastSeq ?? 0));
  if (counted >= 1) return counted <= (stored.syncedSeq ?? 0);
  return stored.syncedSeq !== undefined || Date.parse(entry.recordedAt) <= (stored.lastSyncedAt ?? -Infinity);
}

/** DynamoDB has no `undefined`; keep entries free of absent optional keys so they compare equal. */
function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
