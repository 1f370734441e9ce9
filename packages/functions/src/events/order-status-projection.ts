/**
 * EventBridge target → OrderStatusProjectionFunction: keep `OrdersTbl`'s statuses (behind
 * `GET /orders/{orderId}`) in one conditional write; the first event of a status wins. An invalid
 * event fails, to be retried and dead-lettered (see ../lib/status-event); so does a write cut by the
 * invocation's deadline.
 */
import { lambdaHandler } from "../lib/handler";
import { orderStore } from "../lib/order-store";
import { InvalidStatusEventError, StatusEvent } from "../lib/status-event";

export const handler = lambdaHandler("OrderStatusProjectionFunction", async (raw, { logger, signal }) => {
  const event = StatusEvent.safeParse(raw);
  if (!event.success) {
    const error = new InvalidStatusEventError(raw, event.error.issues);
    logger.error("Invalid order status event; failed, to be retried and dead-lettered", error.context);
    throw error;
  }
  const { id: eventId, detail } = event.data;
  const known = await orderStore().applyStatus(detail, { signal });
  if (!known)
    logger.warn("Status for an order this stage does not hold", {
      eventId,
      orderId: detail.orderId,
      status: detail.status,
    });
  return { applied: known };
});
