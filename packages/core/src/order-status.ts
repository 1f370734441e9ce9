/**
 * The "Order Status Changed" event: the one contract between the order workflow (producer) and the
 * callback microservice (consumer). The EventBridge rule pattern, the zod schema that validates a
 * delivered event and the local EventBridge endpoint are all built from the constants below.
 */
import { z } from "zod";

export const EVENT_SOURCE = "awsomepets.orders";
export const DETAIL_TYPE = "Order Status Changed";

export const STATUSES = [
  "placed",
  "reserved",
  "paid",
  "completed",
  "released",
  "refunded",
  "cancelled",
] as const;
export type Status = (typeof STATUSES)[number];

export const TERMINAL_STATUSES: readonly Status[] = ["completed", "cancelled"];
export const isTerminal = (status: Status) => TERMINAL_STATUSES.includes(status);

export const Detail = z.strictObject({
  orderId: z.uuid(),
  status: z.enum(STATUSES),
  /** When the status happened, ISO-8601 UTC with milliseconds (Step Functions' `$$.State.EnteredTime`). */
  occurredAt: z.iso.datetime({ precision: 3 }),
  reason: z.string().min(1).max(1024).optional(),
  amountPaid: z.number().nonnegative().finite().optional(),
});
export type Detail = z.infer<typeof Detail>;

/** The part of an EventBridge event the callback reads; everything else is the platform's envelope. */
export const Event = z.looseObject({
  id: z.string().optional(),
  source: z.literal(EVENT_SOURCE),
  "detail-type": z.literal(DETAIL_TYPE),
  detail: Detail,
});
export type Event = z.infer<typeof Event>;

/** The rule's event pattern. The stack and the local EventBridge endpoint both use this object. */
export const eventPattern = {
  source: [EVENT_SOURCE],
  "detail-type": [DETAIL_TYPE],
} as const;

/** A `PutEvents` entry for a status change (the bus name is the caller's). */
export function toPutEventsEntry(detail: Detail, eventBusName: string) {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPE,
    Detail: JSON.stringify(Detail.parse(detail)),
  };
}
