/**
 * EventBridge target → OrderStatusProjectionFunction: keep `OrdersTbl`'s statuses (behind
 * `GET /orders/{orderId}`) in one conditional write; the first event of a status wins. An invalid
 * event is logged, naming the fields at fault, and dropped.
 */
import { OrderStatus } from "@awsomepets/core/index";
import { lambdaHandler } from "../lib/handler";
import { orderStore } from "../lib/order-deps";
import { StatusEvent } from "../lib/status-event";

export const handler = lambdaHandler("OrderStatusProjectionFunction", async (raw, { logger }) => {
  const event = StatusEvent.safeParse(raw);
  if (!event.success) {
    const envelope = (raw ?? {}) as { id?: unknown };
    logger.error("Invalid order status event dropped", { eventId: envelope.id, fields: OrderStatus.describeIssues(event.error.issues) });
    return { applied: false };
  }
  const { id: eventId, detail } = event.data;
  const known = await orderStore().applyStatus(detail);
  if (!known) logger.warn("Status for an order this stage does not hold", { eventId, orderId: detail.orderId, status: detail.status });
  return { applied: known };
});
