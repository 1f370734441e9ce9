/**
 * EventBridge target → OrderWSCallbackFunction: record the status and push it to the order's
 * connections. An invalid event is logged (naming the fields at fault) and dropped — a retry cannot
 * fix it; throttling and 5xx from `@connections` or DynamoDB throw, so that the platform retries.
 */
import { Callbacks, OrderStatus } from "@awsomepets/core/index";
import { callbackDeps } from "../lib/deps";
import { lambdaHandler } from "../lib/handler";
import { emfMetrics } from "../lib/metrics";
import { StatusEvent } from "../lib/status-event";

export const handler = lambdaHandler("OrderWSCallbackFunction", async (raw, { logger, count }) => {
  const event = StatusEvent.safeParse(raw);
  if (!event.success) {
    const envelope = (raw ?? {}) as { id?: unknown; detail?: { orderId?: unknown } };
    count("InvalidEvents");
    logger.error("Invalid order status event dropped", {
      eventId: envelope.id,
      orderId: envelope.detail?.orderId,
      fields: OrderStatus.describeIssues(event.error.issues),
    });
    return { accepted: false };
  }
  const { id: eventId, detail } = event.data;
  let result: Callbacks.PublishResult;
  try {
    result = await Callbacks.publishStatus(callbackDeps(), detail);
  } catch (error) {
    // Rethrown: Lambda's async retries, then the dead-letter queue, take it from here.
    logger.error("Status delivery failed; the event will be retried", { eventId, orderId: detail.orderId, status: detail.status, error });
    throw error;
  }
  count("StatusesRecorded", result.duplicate ? 0 : 1);
  count("StatusesDelivered", result.delivered > 0 ? 1 : 0);
  count("StatusesPending", result.pending ? 1 : 0);
  count("ConnectionsGone", result.gone.length);
  logger.info("Status delivered", {
    eventId,
    orderId: detail.orderId,
    status: detail.status,
    seq: result.seq,
    duplicate: result.duplicate,
    connections: result.connections,
    delivered: result.delivered,
    gone: result.gone.length,
    rejected: result.rejected.length,
    pending: result.pending,
  });
  return { accepted: true, seq: result.seq };
}, { metrics: emfMetrics });
