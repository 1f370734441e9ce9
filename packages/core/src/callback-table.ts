/**
 * `ClientCallbackTbl`: the keys, index and TTL attribute that the stack declares and that the local
 * runtime and the tests create in dynalite. One table holds, per order (partition key `orderId`):
 *   - connection rows   `sk = conn#<connectionId>`  — who is listening;
 *   - the sequence row  `sk = seq`                  — the order's status → seq map (the only place a
 *                                                     seq is ever assigned, by a conditional write);
 *   - history rows      `sk = status#<seq>`         — each status, its detail and a pending mark.
 * Every row carries `expiresAt` (epoch seconds). DynamoDB deletes expired rows only eventually and
 * dynalite never does, so readers filter them out and writers treat them as absent.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export const PARTITION_KEY = "orderId";
export const SORT_KEY = "sk";
export const TTL_ATTRIBUTE = "expiresAt";
export const CONNECTION_INDEX = { name: "byConnection", partitionKey: "connectionId", sortKey: SORT_KEY } as const;

export const SEQUENCE_SK = "seq";
export const CONNECTION_PREFIX = "conn#";
export const HISTORY_PREFIX = "status#";

export const connectionSk = (connectionId: string) => `${CONNECTION_PREFIX}${connectionId}`;
/** Zero-padded so that the sort key orders history rows by seq. */
export const historySk = (seq: number) => `${HISTORY_PREFIX}${String(seq).padStart(6, "0")}`;

/** API Gateway closes every WebSocket after 2 hours; a connection row outlives that by a margin. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;
export const DEFAULT_HISTORY_RETENTION_SECONDS = 24 * 60 * 60;

export const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The CreateTable request for dynalite (local runtime, tests): the same shape the stack declares. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: "S" },
      { AttributeName: SORT_KEY, AttributeType: "S" },
      { AttributeName: CONNECTION_INDEX.partitionKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: CONNECTION_INDEX.name,
        KeySchema: [
          { AttributeName: CONNECTION_INDEX.partitionKey, KeyType: "HASH" },
          { AttributeName: CONNECTION_INDEX.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}
