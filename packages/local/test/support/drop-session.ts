/**
 * Finds the gateway connection of one client session (by the User-Agent it connected with) and drops
 * it without `$disconnect`. Candidates come from the runtime's `$connect` log records for the order.
 */
import { GetConnectionCommand, type ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { WebSocketGateway } from "@awsomepets/aws-local/gateway/index";
import type { LogRecord } from "../../src/runtime/log";

export async function dropSession(input: {
  gateway: WebSocketGateway;
  management: ApiGatewayManagementApiClient;
  records: readonly LogRecord[];
  orderId: string;
  userAgent: string;
}): Promise<string | undefined> {
  const open = new Set(input.gateway.connections());
  const candidates = input.records
    .filter(
      (r) =>
        r.component === "websocket" &&
        r.orderId === input.orderId &&
        r.statusCode === 200 &&
        String(r.message).startsWith("$connect"),
    )
    .map((r) => String(r.connectionId))
    .filter((id) => open.has(id))
    .reverse(); // newest first: the session being looked for is the order's latest
  for (const connectionId of candidates.slice(0, 5)) {
    const found = await input.management
      .send(new GetConnectionCommand({ ConnectionId: connectionId }))
      .catch(() => undefined);
    if (found?.Identity?.UserAgent !== input.userAgent) continue;
    return input.gateway.dropConnection(connectionId) ? connectionId : undefined;
  }
  return undefined;
}
