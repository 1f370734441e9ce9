/**
 * `ClientCallbackTbl`: keys, item shapes and TTL, declared once for the stack, the store, the local
 * runtime and the tests. Partition key `orderId`, sort key `sk`; one kind of item:
 *
 *   - the order's item, `orderId = <orderId>`, `sk = "order"` — everything the callback path reads and
 *     writes for one order, so that recording a status and learning who listens is ONE request:
 *       history      list of status entries {s: status, o: occurredAt, t: recordedAt (epoch ms),
 *                    a?: amountPaid, r?: reason, or h?: the key of a long reason kept once, below};
 *                    an entry's seq is its position + 1 (so no gap can exist)
 *       r#<key>      a reason longer than `INLINE_REASON_MAX_BYTES`, once per order: the compensation
 *                    statuses (refunded, released, cancelled) carry the same one
 *       listeners#<status>  per recorded status: the connections subscribed when it was recorded
 *                    (its absence is the condition that keeps statuses unique; 0: nobody heard it live)
 *       lastSeq      statuses counted: the record write adds 1 as it appends, so it is the history's
 *                    length, i.e. the highest seq (less in an item begun by the layout before, below)
 *       syncedSeq    `lastSeq` as the last admitted message's write found it: that message read
 *                    (a `sync` hands over) every status counted up to it
 *       pending      string set of statuses marked as no client having received them (see below)
 *       c#<id>       one map per connection listening: {c: connectedAt, s?: syncedAt, i?, b?, t?: its
 *                    message bucket (./sync-rate-limit)}, epoch ms; it expires `CONNECTION_TTL_SECONDS`
 *                    after `c`
 *       connCount    connections added and not yet removed: the per-order socket cap is one condition on it
 *       expiresAt    TTL: retention after the last write
 *     A status is pending — no client has received it — when it was recorded with no listener and no
 *     message was admitted since (derived: no write; "since" is the item's own order of writes, its
 *     count above `syncedSeq`, never a clock), or when it is marked (the rarer cases where posts to
 *     listeners all failed; a write, cleared by the delivery that follows).
 *     Items of the layout before the counts (a deploy mid-order) hold `lastSyncedAt` (the message
 *     handler's clock) instead and their statuses no count: those statuses are the history's first
 *     `length - lastSeq`, and are read as then — handed over if recorded (`recordedAt`, the
 *     callback's clock) before `lastSyncedAt` — or as handed over once a counted message came
 *     (`syncedSeq` exists). See docs/decisions/pending-by-count.md.
 *   Size: every write of the item is billed on its whole size, before or after, per started KB
 *   (./item-size), so its names are short and nothing is kept twice: a synced connection is 54 bytes
 *   (an 18-byte name, four numbers), a status about 50. Items written by the layout before the short
 *   names (a deploy mid-order) hold `conn#<id>` maps {connectedAt, syncedAt?, expiresAt, idleTat?,
 *   burstTat?, toldTat?} (99 bytes synced) and entries {status, occurredAt, recordedAt (ISO), reason?,
 *   amountPaid?}: both are read, and such a connection is written in its own names until it leaves.
 *   The per-order socket cap's maximum comes from these sizes (platform/tunables.ts, docs/capacity.md).
 *   There is no item per connection: a connection's order travels with the connection (the `$connect`
 *   authorizer's context, which API Gateway hands to `$disconnect` and every message).
 *
 * Every item carries `expiresAt` (epoch seconds). DynamoDB deletes expired items only eventually and
 * dynalite never does, so readers ignore them and writers treat them as absent.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { CONNECTION_TTL_SECONDS } from "../platform/topology/routes";
import { TUNABLES } from "../platform/tunables";

export const PARTITION_KEY = "orderId";
export const SORT_KEY = "sk";
export const TTL_ATTRIBUTE = "expiresAt";

export const ORDER_SK = "order";
export const CONNECTION_ATTRIBUTE_PREFIX = "c#";
/** A connection's fields, by what they mean (./sync-rate-limit names the bucket's). */
export const CONNECTION_FIELDS = {
  connectedAt: "c",
  syncedAt: "s",
  idleTat: "i",
  burstTat: "b",
  toldTat: "t",
} as const;
/** The layout before the short names: read, and written for its own connections until they leave. */
export const LEGACY_CONNECTION_ATTRIBUTE_PREFIX = "conn#";
export const LEGACY_CONNECTION_FIELDS = {
  connectedAt: "connectedAt",
  syncedAt: "syncedAt",
  idleTat: "idleTat",
  burstTat: "burstTat",
  toldTat: "toldTat",
} as const;
export type ConnectionFields = typeof CONNECTION_FIELDS | typeof LEGACY_CONNECTION_FIELDS;

export const orderKey = (orderId: string) => ({ [PARTITION_KEY]: orderId, [SORT_KEY]: ORDER_SK });
export const connectionAttribute = (connectionId: string) => `${CONNECTION_ATTRIBUTE_PREFIX}${connectionId}`;
export const legacyConnectionAttribute = (connectionId: string) =>
  `${LEGACY_CONNECTION_ATTRIBUTE_PREFIX}${connectionId}`;
/** A connection's expiry (epoch s), from when it connected: API Gateway closes every socket by then. */
export const connectionExpiresAt = (connectedAtMs: number) => Math.floor(connectedAtMs / 1000) + CONNECTION_TTL_SECONDS;

/** A history entry's fields (the layout before spelled them out: `status`, `occurredAt`, …). */
export const ENTRY_FIELDS = {
  status: "s",
  occurredAt: "o",
  recordedAt: "t",
  amountPaid: "a",
  reason: "r",
  reasonKey: "h",
} as const;
/**
 * A reason up to this many bytes is kept in its entry; a longer one once per order, in `r#<key>`
 * (key: 12 characters of its SHA-256), which costs the entry 15 bytes and the item 14 more once.
 */
export const INLINE_REASON_MAX_BYTES = 48;
export const REASON_ATTRIBUTE_PREFIX = "r#";
export const reasonAttribute = (key: string) => `${REASON_ATTRIBUTE_PREFIX}${key}`;
/** Read instead of a long reason whose `r#` attribute is missing (./callback-item). */
export const UNREADABLE_REASON = "Reason unavailable";
export const LISTENERS_ATTRIBUTE_PREFIX = "listeners#";
export const listenersAttribute = (status: string) => `${LISTENERS_ATTRIBUTE_PREFIX}${status}`;

/** API Gateway closes every WebSocket after 2 hours; a connection outlives that by a margin (platform/topology). */
export { CONNECTION_TTL_SECONDS };
/** The tunables' defaults and range this table's writes use, declared in platform/tunables.ts. */
export const DEFAULT_HISTORY_RETENTION_SECONDS = TUNABLES.historyRetentionSeconds.defaultValue;
export const DEFAULT_MAX_CONNECTIONS_PER_ORDER = TUNABLES.maxConnectionsPerOrder.defaultValue;
export const MAX_CONNECTIONS_PER_ORDER_LIMIT = TUNABLES.maxConnectionsPerOrder.max;

export const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The CreateTable request for dynalite and DynamoDB Local (local runtime, tests): the stack's shape. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: "S" },
      { AttributeName: SORT_KEY, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ],
  };
}
