/** `$connect` → OrderWSConnectFunction: admit the socket if its token is valid and its order has room. */
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { callbackDeps } from "../lib/callback-deps";
import { maxConnectionsPerOrder, stage } from "../lib/env";
import { lambdaHandler } from "../lib/handler";
import { emfMetrics } from "../lib/metrics";
import { callbackTokenKeysFor } from "../lib/secrets";
import { WebSocketEvent, type WebSocketResult } from "../lib/websocket-event";

export const handler = lambdaHandler(
  "OrderWSConnectFunction",
  async (raw, { logger, count, signal }): Promise<WebSocketResult> => {
    const event = WebSocketEvent.safeParse(raw);
    if (!event.success) {
      logger.error("Malformed $connect event", { issues: event.error.issues.map((i) => i.path.join(".")) });
      return { statusCode: 400, body: "Bad request" };
    }
    const { connectionId } = event.data.requestContext;
    // The order the authorizer admitted, which every later route of the connection trusts: the token
    // is checked against that very copy, not the query's.
    const orderId = event.data.requestContext.authorizer?.orderId;
    const token = event.data.queryStringParameters?.token;
    try {
      const admission = await Callbacks.connect(
        callbackDeps(),
        {
          connectionId,
          orderId,
          token,
          keys: await callbackTokenKeysFor(token),
          stage: stage(),
          maxConnections: maxConnectionsPerOrder(),
        },
        { signal },
      );
      if (!admission.admitted) {
        count("ConnectsRefused", 1, ["reason", admission.refusal]);
        logger.warn("Connection refused", {
          connectionId,
          orderId,
          statusCode: admission.statusCode,
          reason: admission.reason,
        });
        return { statusCode: admission.statusCode, body: admission.reason };
      }
      count("Connected");
      logger.info("Connected", { connectionId, orderId });
      return { statusCode: 200 };
    } catch (error) {
      logger.error("Connect failed", { connectionId, orderId, error });
      return { statusCode: 500, body: "Internal error" };
    }
  },
  { metrics: emfMetrics },
);
