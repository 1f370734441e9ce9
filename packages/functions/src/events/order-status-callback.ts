/**
 * EventBridge target → OrderWSCallbackFunction: record the status and push it to the order's
 * connections. Everything but success throws, so that the platform retries and then dead-letters:
 * an invalid event (a retry cannot fix it, but nothing may be lost; see ../lib/status-event), and
 * throttling, 5xx or the invocation's deadline on `@connections` or DynamoDB. A post `@connections`
 * refused (403: the grant, the endpoint's stage, the signature) is counted for its alarm.
 */
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { callbackDeps } from "../lib/callback-deps";
import { lambdaHandler } from "../lib/handler";
import { emfMetrics } from "../lib/metrics";
import { InvalidStatusEventError, StatusEvent } from "../lib/status-event";

export const handler = lambdaHandler(
  "OrderWSCallbackFunction",
  async (raw, { logger, count, signal }) => {
    const event = StatusEvent.safeParse(raw);
    if (!event.success) {
      const error = new InvalidStatusEventError(raw, event.error.issues);
      count("InvalidEvents");
      logger.error("Invalid order status event; failed, to be retried and dead-lettered", error.context);
      throw error;
    }
    const { id: eventId, detail } = event.data;
    let result: Callbacks.PublishResult;
    try {
      result = await Callbacks.publishStatus(callbackDeps(), detail, { signal });
    } catch (error) {
      // Rethrown: Lambda's async retries, then the dead-letter queue, take it from here.
      logger.error("Status delivery failed; the event will be retried", {
        eventId,
        orderId: detail.orderId,
        status: detail.status,
        error,
      });
      throw error;
    }
    count("StatusesRecorded", result.duplicate ? 0 : 1);
    count("StatusesDelivered", result.delivered > 0 ? 1 : 0);
    count("StatusesPending", result.pending ? 1 : 0);
    count("ConnectionsGone", result.gone.length);
    count("PostsRejected", result.rejected.length);
    if (result.rejected.length > 0) {
      logger.error("Posts refused by @connections; those clients were not told", {
        eventId,
        orderId: detail.orderId,
        status: detail.status,
        rejected: result.rejected.map((o) => ({
          connectionId: o.connectionId,
          error: "error" in o ? o.error : undefined,
        })),
      });
    }
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
  },
  { metrics: emfMetrics },
);
