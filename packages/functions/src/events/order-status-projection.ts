/**
 * EventBridge target → OrderStatusProjectionFunction: keep `OrdersTbl`'s current status and
 * history (behind `GET /orders/{orderId}`). Duplicates and reordering are absorbed by the store's
 * conditional writes; an invalid event is logged and dropped.
 */
import { logger } from "../lib/logger";
import { StatusEvent } from "../lib/status-event";
import { orderStore } from "../lib/order-deps";


export async function handler(raw: unknown) {
  const event = StatusEvent.safeParse(raw);
  if (!event.success) {
    const envelope = (raw ?? {}) as { id?: unknown };
    logger.error("Invalid order status event dropped", { eventId: envelope.id, issues: event.error.issues.length });
    return { applied: false };
  }
  const { id: eventId, detail } = event.data;
  const known = await orderStore().applyStatus(detail);
  if (!known) logger.warn("Status for an order this stage does not hold", { eventId, orderId: detail.orderId, status: detail.status });
  return { applied: known };
}
