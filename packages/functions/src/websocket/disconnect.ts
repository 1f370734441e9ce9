/** `$disconnect` → OrderWSDisconnectFunction: forget every row of the connection. */
import { Callbacks } from "@awsomepets/core/index";
import { callbackStore } from "../lib/deps";
import { logger } from "../lib/logger";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export async function handler(raw: unknown): Promise<WebSocketResult> {
  const event = WebSocketEvent.safeParse(raw);
  if (!event.success) {
    logger.error("Malformed $disconnect event", { issues: event.error.issues });
    return { statusCode: 400 };
  }
  const { connectionId } = event.data.requestContext;
  // A failure here is logged and left to the rows' TTL: API Gateway does not retry $disconnect.
  try {
    const deleted = await Callbacks.disconnect({ store: callbackStore() }, connectionId);
    logger.info("Disconnected", { connectionId, deleted });
    return { statusCode: 200 };
  } catch (error) {
    logger.error("Disconnect cleanup failed; rows expire by TTL", { connectionId, error });
    return { statusCode: 500 };
  }
}
