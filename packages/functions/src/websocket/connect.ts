/** `$connect` → OrderWSConnectFunction: admit the socket if its token is valid for its order. */
import { Callbacks } from "@awsomepets/core/index";
import { callbackStore } from "../lib/deps";
import { logger } from "../lib/logger";
import { callbackTokenSecret } from "../lib/secrets";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export async function handler(raw: unknown): Promise<WebSocketResult> {
  const event = WebSocketEvent.safeParse(raw);
  if (!event.success) {
    logger.error("Malformed $connect event", { issues: event.error.issues });
    return { statusCode: 400, body: "Bad request" };
  }
  const { connectionId } = event.data.requestContext;
  const query = event.data.queryStringParameters ?? {};
  try {
    const admission = await Callbacks.connect(
      { store: callbackStore() },
      { connectionId, orderId: query.orderId, token: query.token, secret: callbackTokenSecret() },
    );
    if (!admission.admitted) {
      logger.warn("Connection refused", { connectionId, orderId: query.orderId, statusCode: admission.statusCode, reason: admission.reason });
      return { statusCode: admission.statusCode, body: admission.reason };
    }
    logger.info("Connected", { connectionId, orderId: query.orderId });
    return { statusCode: 200 };
  } catch (error) {
    logger.error("Connect failed", { connectionId, orderId: query.orderId, error });
    return { statusCode: 500, body: "Internal error" };
  }
}
