/**
 * `$default` and `sync` → OrderWSPendingFunction: answer a `sync` with every status after the
 * client's cursor; any other message gets an error frame and the connection stays open.
 */
import { Callbacks, Delivery, Protocol } from "@awsomepets/core/index";
import { callbackDeps } from "../lib/deps";
import { logger } from "../lib/logger";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export async function handler(raw: unknown): Promise<WebSocketResult> {
  const event = WebSocketEvent.safeParse(raw);
  if (!event.success) {
    logger.error("Malformed message event", { issues: event.error.issues });
    return { statusCode: 400 };
  }
  const { connectionId } = event.data.requestContext;
  const deps = callbackDeps();
  const reply = (frame: Protocol.ErrorFrame) =>
    Delivery.postToConnection(deps.management, connectionId, Protocol.encode(frame));

  const request = Protocol.parseClientMessage(event.data.body);
  if ("type" in request) {
    logger.warn("Rejected client message", { connectionId, code: request.code, body: event.data.body?.slice(0, 200) });
    await reply(request);
    return { statusCode: 200 };
  }
  try {
    const result = await Callbacks.sync(deps, { connectionId, orderId: request.orderId, after: request.after });
    if (!result.subscribed) {
      logger.warn("Sync refused: connection not subscribed to order", { connectionId, orderId: request.orderId });
      await reply(Protocol.errorFrame("not_subscribed", "This connection is not subscribed to that order"));
      return { statusCode: 200 };
    }
    logger.info("Synced", { connectionId, orderId: request.orderId, after: request.after, ...result });
    return { statusCode: 200 };
  } catch (error) {
    logger.error("Sync failed", { connectionId, orderId: request.orderId, error });
    await reply(Protocol.errorFrame("internal", "Sync failed; send it again"));
    return { statusCode: 500 };
  }
}
