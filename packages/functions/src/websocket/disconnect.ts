/** `$disconnect` → OrderWSDisconnectFunction: forget the connection. */
import { callbackStore } from "../lib/deps";
import { lambdaHandler } from "../lib/handler";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export const handler = lambdaHandler("OrderWSDisconnectFunction", async (raw, { logger, signal }): Promise<WebSocketResult> => {
  const event = WebSocketEvent.safeParse(raw);
  if (!event.success) {
    logger.error("Malformed $disconnect event", { issues: event.error.issues.map((i) => i.path.join(".")) });
    return { statusCode: 400 };
  }
  const { connectionId } = event.data.requestContext;
  // A failure here is logged and left to the TTLs: API Gateway does not retry $disconnect.
  try {
    // The store directly, not Callbacks.disconnect: that module posts, and this function must not bundle the @connections client.
    const { orderId } = await callbackStore().removeConnection(connectionId, { signal });
    logger.info("Disconnected", { connectionId, orderId });
    return { statusCode: 200 };
  } catch (error) {
    logger.error("Disconnect cleanup failed; the connection expires by TTL", { connectionId, error });
    return { statusCode: 500 };
  }
});
