/**
 * `ClientCallbackTbl`: keys, item shapes and TTL, declared once for the stack, the store, the local
 * runtime and the tests. Partition key `orderId`, sort key `sk`; one item per order (`sk = "order"`)
 * holding everything the callback path reads and writes, so that recording a status and learning who
 * listens is ONE request: `history` (seq = position + 1), `r#<key>` (a long reason, once),
 * `listeners#<status>`, `lastSeq` / `syncedSeq` (pending by count), `pending` (marks), `c#<id>` (a
 * connection and its message bucket), `connCount`, `expiresAt` (TTL: DynamoDB deletes only eventually,
 * dynalite never, so readers ignore expired items and writers treat them as absent). Each attribute,
 * the layouts before (still read) and why the names are short: docs/decisions/one-callback-item-per-order.md.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { CONNECTION_TTL_SECONDS } from "../platform/topology/routes";
import { RUNTIME_TUNABLES } from "../platform/runtime-tunables";

export const PARTITION_KEY = "orderId";
export const SORT_KEY = "sk";
export const TTL_ATTRIBUTE = "expiresAt";

export const ORDER_SK = "order";
export const CONNECTION_ATTRIBUTE_PREFIX = "c#";
/** A connection's fields, by what they mean (./rate-limit names the bucket's). */
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
/** Read instead of a long reason whose `r#` attribute is missing (./item). */
export const UNREADABLE_REASON = "Reason unavailable";
export const LISTENERS_ATTRIBUTE_PREFIX = "listeners#";
export const listenersAttribute = (status: string) => `${LISTENERS_ATTRIBUTE_PREFIX}${status}`;

/** API Gateway closes every WebSocket after 2 hours; a connection outlives that by a margin (platform/topology). */
export { CONNECTION_TTL_SECONDS };
/** The tunables' defaults this table's writes use, declared in platform/runtime-tunables.ts. */
export const DEFAULT_HISTORY_RETENTION_SECONDS = RUNTIME_TUNABLES.historyRetentionSeconds.defaultValue;
export const DEFAULT_MAX_CONNECTIONS_PER_ORDER = RUNTIME_TUNABLES.maxConnectionsPerOrder.defaultValue;

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
