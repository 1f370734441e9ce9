/**
 * The `clientCallbackUrl` the order API would hand out, for the local runtime: its WebSocket URL
 * with the order id and a token signed with its secret for its stage.
 */
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import type { RuntimeState } from "../runtime/state-file";

export function localCallbackUrl(input: {
  state: Pick<RuntimeState, "endpoints" | "tokenSecret" | "stage">;
  orderId: string;
  ttlSeconds?: number;
  now?: Date;
}) {
  const token = CallbackToken.sign({
    orderId: input.orderId,
    stage: input.state.stage,
    secret: input.state.tokenSecret,
    ...(input.ttlSeconds !== undefined && { ttlSeconds: input.ttlSeconds }),
    ...(input.now && { now: input.now }),
  });
  return CallbackToken.callbackUrl({ websocketUrl: input.state.endpoints.websocket, orderId: input.orderId, token });
}
