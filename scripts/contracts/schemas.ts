/**
 * JSON Schemas of every contract, from core's zod schemas (`z.toJSONSchema`). Where core has a schema
 * (the event, its detail, the sync request, the order request) it is used as is; frames and response
 * bodies exist in core only as TypeScript types, so their schemas are composed here from core's
 * schemas and constants, and the compiler checks below fail when one drifts from its core type.
 */
import * as z from "zod/mini";
import * as Protocol from "@awsomepets/core/callbacks/protocol";
import type * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as Order from "@awsomepets/core/orders/request";
import type * as Orders from "@awsomepets/core/orders/service";
import * as OrderStatus from "@awsomepets/core/status/event";

type JsonSchema = Record<string, unknown>;
/**
 * JSON Schema dialects: AsyncAPI's Schema Object is draft-07's superset; OpenAPI 3.1 is 2020-12; EventBridge takes
 * draft-04.
 */
export type Dialect = "draft-4" | "draft-7" | "draft-2020-12";

/** Input schemas: what a sender may write (an output schema cannot express `occurredAt`'s normalising transform). */
export function jsonSchema(
  schema: z.core.$ZodType,
  target: Dialect,
  options: { keepDialect?: boolean } = {},
): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: "input", target, unrepresentable: "throw" }) as JsonSchema;
  return options.keepDialect ? { $schema, ...rest } : rest;
}

const seq = z.int().check(z.minimum(1));

export const StatusFrame = z.extend(OrderStatus.StatusRecord, {
  type: z.literal("status"),
  seq,
});
export const SyncedFrame = z.strictObject({
  type: z.literal("synced"),
  orderId: z.uuid(),
  lastSeq: z.int().check(z.minimum(0)),
});
export const ErrorFrame = z.strictObject({
  type: z.literal("error"),
  code: z.enum(Protocol.ERROR_CODES),
  message: z.string(),
});

/** `POST /orders`' 202 answer. */
export const OrderAccepted = z.strictObject({
  statusCode: z.literal(202),
  status: z.literal("placed"),
  orderId: z.uuid(),
  clientCallbackUrl: z.url({ protocol: /^wss?$/ }),
});
/** Every 4xx/5xx body of the order API; `errors` on an invalid order only. */
export const Problem = z.strictObject({
  message: z.string(),
  errors: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
});
/** The order table's history: the detail of each status, oldest first, without seq (that is the callback table's). */
const historyEntry = z.omit(OrderStatus.StatusRecord, { orderId: true });
export const OrderViewBody = z.strictObject({
  orderId: z.uuid(),
  status: z.enum(OrderStatus.STATUSES),
  terminal: z.boolean(),
  placedAt: z.iso.datetime(),
  amount: z.number().check(z.nonnegative()),
  basket: Order.OrderRequest.shape.basket,
  history: z.array(historyEntry),
});
export const CataloguePet = z.strictObject({
  sku: z.string(),
  name: z.string(),
  species: z.string(),
  price: z.number().check(z.nonnegative()),
  description: z.string(),
  soldOut: z.boolean(),
});

// The schemas above must describe exactly core's types: a drift there is a compile error here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<z.output<typeof StatusFrame>, Protocol.StatusFrame>,
  Same<z.output<typeof SyncedFrame>, Protocol.SyncedFrame>,
  Same<z.output<typeof ErrorFrame>, Protocol.ErrorFrame>,
  Same<z.output<typeof OrderViewBody>, Orders.OrderView>,
  Same<z.output<typeof CataloguePet>, Omit<Catalogue.Pet, "priceCents">>,
] = [true, true, true, true, true];
void checks;

export { OrderStatus, Protocol, Order };
