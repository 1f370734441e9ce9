/** `$disconnect` → OrderWSDisconnectFunction: forget the connection. */
import { callbackStore } from "../lib/callback-deps";
import { lambdaHandler } from "../lib/handler";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export const handler = lambdaHandler(
  "OrderWSDisconnectFunction",
  async (raw, { logger, signal }): Promise<WebSocketResult> => {
    const event = WebSocketEvent.safeParse(raw);
    if (!event.success) {
      logger.error("Malformed $disconnect event", { issues: event.error.issues.map((i) => i.path.join(".")) });
      return { statusCode: 400 };
    }
    const { connectionId } = event.data.requestContext;
    // The connection's order, as `$connect`'s authorizer allowed it: API Gateway hands it to every route.
    const orderId = event.data.requestContext.authorizer?.orderId;
    if (!orderId) {
      logger.warn("No order in the connection's authorizer context; the connection expires by TTL", { connectionId });
      return { statusCode: 200 };
    }
    // A failure here is logged and left to the TTLs: API Gateway does not retry $disconnect.
    try {
      // The store directly, not core/callbacks: that module posts, and this function must not bundle the @connections
      // client.
      const removed = await callbackStore().removeConnection({ orderId, connectionId }, { signal });
      logger.info("Disconnected", { connectionId, orderId, removed });
      return { statusCode: 200 };
    } catch (error) {
      logger.error("Disconnect cleanup failed; the connection expires by TTL", { connectionId, error });
      return { statusCode: 500 };
    }
  },
);
