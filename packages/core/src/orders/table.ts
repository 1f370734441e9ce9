/**
 * `OrdersTbl`: one item per order (`pk = order#<orderId>`) holding the order, its current status
 * (a projection of the status events) and each status's detail; and one item per Idempotency-Key
 * (`pk = idempotency#<sha256>`) remembering which order a retried `POST /orders` belongs to.
 *
 * Both kinds carry `expiresAt` (epoch seconds, the table's TTL): the order's item its retention
 * after it was placed (`orderRetentionDays`), the key's 24 hours. DynamoDB deletes expired items
 * only eventually and dynalite never does, so readers treat an expired item as absent. The order's
 * item keeps the hash of its Idempotency-Key (`idempotencyKeyHash`), so that erasing the order finds
 * the key's record too, and the card token (`cardToken`) only until the payment step has used it.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { RUNTIME_TUNABLES } from "../platform/runtime-tunables";

export const PARTITION_KEY = "pk";
export const TTL_ATTRIBUTE = "expiresAt";
export const orderKey = (orderId: string) => ({ [PARTITION_KEY]: `order#${orderId}` });
export const idempotencyKey = (keyHash: string) => ({ [PARTITION_KEY]: `idempotency#${keyHash}` });

/** How long a retried POST with the same Idempotency-Key returns the same order. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * How long the request that claimed an order's workflow start has to start it before a retry may
 * take the claim over (its StartExecution failed, or it died before asking). Far above one
 * StartExecution with the SDK's retries (seconds), so a slow winner is not doubled by a retry.
 */
export const WORKFLOW_START_LEASE_SECONDS = 30;

/** How long an order's item is kept after it was placed: the tunable `orderRetentionDays` (platform/runtime-tunables.ts). */
export const DEFAULT_ORDER_RETENTION_DAYS = RUNTIME_TUNABLES.orderRetentionDays.defaultValue;
export const DAY_SECONDS = 24 * 60 * 60;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: PARTITION_KEY, AttributeType: "S" }],
    KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: "HASH" }],
  };
}
