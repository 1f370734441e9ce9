/**
 * `ClientCallbackTbl`: keys, item shapes and TTL, declared once for the stack, the store, the local
 * runtime and the tests. Partition key `orderId`, sort key `sk`; one kind of item:
 *
 *   - the order's item, `orderId = <orderId>`, `sk = "order"` — everything the callback path reads and
 *     writes for one order, so that recording a status and learning who listens is ONE request:
 *       history      list of status entries; an entry's seq is its position + 1 (so no gap can exist)
 *       listeners#<status>  per recorded status: the connections subscribed when it was recorded
 *                    (its absence is the condition that keeps statuses unique; 0: nobody heard it live)
 *       lastSeq      statuses counted: the record write adds 1 as it appends, so it is the history's
 *                    length, i.e. the highest seq (less in an item begun by the layout before, below)
 *       syncedSeq    `lastSeq` as the last admitted message's write found it: that message read
 *                    (a `sync` hands over) every status counted up to it
 *       pending      string set of statuses marked as no client having received them (see below)
 *       conn#<id>    one map per connection listening: {connectedAt, syncedAt?, expiresAt}
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
 *     An order has at most seven statuses and at most `MAX_CONNECTIONS_PER_ORDER` live sockets, so the
 *     item stays a few KB, far from DynamoDB's 400 KB.
 *   There is no item per connection: a connection's order travels with the connection (the `$connect`
 *   authorizer's context, which API Gateway hands to `$disconnect` and every message).
 *
 * Every item carries `expiresAt` (epoch seconds). DynamoDB deletes expired items only eventually and
 * dynalite never does, so readers ignore them and writers treat them as absent.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export const PARTITION_KEY = "orderId";
export const SORT_KEY = "sk";
export const TTL_ATTRIBUTE = "expiresAt";

export const ORDER_SK = "order";
export const CONNECTION_ATTRIBUTE_PREFIX = "conn#";

export const orderKey = (orderId: string) => ({ [PARTITION_KEY]: orderId, [SORT_KEY]: ORDER_SK });
export const connectionAttribute = (connectionId: string) => `${CONNECTION_ATTRIBUTE_PREFIX}${connectionId}`;
export const LISTENERS_ATTRIBUTE_PREFIX = "listeners#";
export const listenersAttribute = (status: string) => `${LISTENERS_ATTRIBUTE_PREFIX}${status}`;

/** API Gateway closes every WebSocket after 2 hours; a connection outlives that by a margin. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;
export const DEFAULT_HISTORY_RETENTION_SECONDS = 24 * 60 * 60;
/** Sockets one order may have open at once; the next `$connect` is refused with 429. */
export const DEFAULT_MAX_CONNECTIONS_PER_ORDER = 10;

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
