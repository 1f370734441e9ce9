/** One frame from a client: select its route, invoke it, and send API Gateway's error frames when that fails. */
import { markActive, type Connection } from "./connections";
import { gatewayErrorFrame } from "./error-frames";
import { buildMessageEvent } from "./events";
import { newRequestId } from "./ids";
import { withFaults, type GatewayRuntime } from "./runtime";

export async function handleMessage(runtime: GatewayRuntime, connection: Connection, data: Buffer, isBinary: boolean) {
  markActive(connection);
  // A binary frame has no JSON body to select on, so it goes to `$default`.
  const routeKey = runtime.selectRoute(isBinary ? undefined : data.toString("utf8"));
  if (routeKey === undefined) {
    sendToClient(connection, gatewayErrorFrame("Forbidden", connection.id, newRequestId()));
    return;
  }
  const event = withFaults(runtime, buildMessageEvent(runtime.scope, connection, routeKey, data, isBinary));
  const outcome = await runtime.invokeRoute(connection, event);
  // No route response is configured (SST's default), so a handler's return value goes nowhere; only a
  // failed or throttled invocation is reported to the client, and the connection stays open.
  if (!outcome.ok) {
    const message = "throttled" in outcome ? "Too Many Requests" : "Internal server error";
    sendToClient(connection, gatewayErrorFrame(message, connection.id, event.requestContext.requestId));
  }
}

function sendToClient(connection: Connection, frame: string) {
  const socket = connection.socket;
  if (socket && socket.readyState === socket.OPEN) socket.send(frame);
}
