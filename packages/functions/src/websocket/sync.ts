/**
 * `$default` and `sync` → OrderWSPendingFunction: as in the seed, any message is answered with every
 * status after the client's cursor (core's `answerMessage`); a flood is refused by the socket's
 * bucket in the order's item (one write per refused message, `rate_limited` once per streak).
 */
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { callbackDeps } from "../lib/callback-deps";
import { lambdaHandler } from "../lib/handler";
import { emfMetrics } from "../lib/metrics";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export const handler = lambdaHandler(
  "OrderWSPendingFunction",
  async (raw, { logger, count, signal }): Promise<WebSocketResult> => {
    const event = WebSocketEvent.safeParse(raw);
    if (!event.success) {
      logger.error("Malformed message event", { issues: event.error.issues.map((i) => i.path.join(".")) });
      return { statusCode: 400 };
    }
    const { connectionId } = event.data.requestContext;
    const deps = callbackDeps();
    try {
      const connectionOrderId = event.data.requestContext.authorizer?.orderId; // what `$connect`'s authorizer allowed
      const result = await Callbacks.answerMessage(
        deps,
        { connectionId, connectionOrderId, body: event.data.body },
        { signal },
      );
      switch (result.kind) {
        case "rate_limited":
          count("SyncsThrottled");
          if (result.told) logger.warn("Sync refused: too many messages", { connectionId });
          break;
        case "invalid":
          logger.warn("Rejected client message", {
            connectionId,
            code: result.frame.code,
            body: event.data.body?.slice(0, 200),
          });
          break;
        case "not_subscribed":
          logger.warn("Sync refused: connection not subscribed to order", { connectionId, orderId: result.orderId });
          break;
        case "synced":
          count("SyncsServed");
          if (result.outcome === "rejected") count("PostsRejected"); // 403: see the alarm in the stack
          logger.info("Synced", { connectionId, ...result });
      }
      return { statusCode: 200 };
    } catch (error) {
      // A slow dependency or the deadline (the signal): the client is told `internal` in the reserve.
      logger.error("Sync failed", { connectionId, error, deadline: signal?.aborted === true });
      await Callbacks.answerFailure(deps, connectionId, { signal });
      return { statusCode: 500 };
    }
  },
  { metrics: emfMetrics },
);
