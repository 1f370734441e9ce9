/**
 * `OrdersTbl`: one item per order (`pk = order#<orderId>`) holding the order, its current status
 * (a projection of the status events) and each status's detail; and one item per Idempotency-Key
 * (`pk = idempotency#<sha256>`) remembering which order a retried `POST /orders` belongs to.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export const PARTITION_KEY = "pk";
export const TTL_ATTRIBUTE = "expiresAt";
export const orderKey = (orderId: string) => ({ [PARTITION_KEY]: `order#${orderId}` });
export const idempotencyKey = (keyHash: string) => ({ [PARTITION_KEY]: `idempotency#${keyHash}` });

/** How long a retried POST with the same Idempotency-Key returns the same order. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: PARTITION_KEY, AttributeType: "S" }],
    KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: "HASH" }],
  };
}
