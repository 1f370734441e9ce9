/**
 * The contract documents, generated from core's schemas: what `npm run contracts` writes under
 * docs/contracts/, what the contracts test compares with the committed files, and (the event's
 * schema) what the stacks register in EventBridge's schema registry.
 */
import { asyncApiDocument } from "./asyncapi";
import { openApiDocument } from "./openapi";
import { jsonSchema, OrderStatus } from "./schemas";

export const CONTRACTS_DIR = "docs/contracts";

/**
 * The "Order Status Changed" event as EventBridge delivers it, in JSON Schema draft-04 (the dialect
 * EventBridge's schema registry takes besides OpenAPI 3). The envelope's other fields are the platform's.
 */
export function statusEventSchema() {
  return {
    ...jsonSchema(OrderStatus.Event, "draft-4", { keepDialect: true }),
    title: OrderStatus.DETAIL_TYPE,
    description: `The event ${OrderStatus.EVENT_SOURCE} publishes on the order bus at each status of an order. EventBridge delivers at least once and in no particular order: consumers dedupe by (orderId, status) and order by occurredAt.`,
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** File name (under CONTRACTS_DIR) → content. */
export function generateContracts(): Record<string, string> {
  return {
    "order-status-event.schema.json": json(statusEventSchema()),
    "order-websocket.asyncapi.json": json(asyncApiDocument()),
    "order-api.openapi.json": json(openApiDocument()),
  };
}
