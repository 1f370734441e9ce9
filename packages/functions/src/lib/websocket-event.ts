/**
 * The parts of an API Gateway WebSocket proxy event the routes read. `queryStringParameters` is
 * null when the URL has no query (a crash in the workshop's `$connect`). `requestContext.authorizer`
 * is what `$connect`'s authorizer allowed the connection with (websocket/authorizer.ts), on
 * `$connect` and on every later route of the connection.
 */
import * as z from "zod/mini";

export const WebSocketEvent = z.looseObject({
  requestContext: z.looseObject({
    connectionId: z.string().check(z.minLength(1)),
    routeKey: z.string(),
    authorizer: z.optional(z.looseObject({ orderId: z.optional(z.string()) })),
  }),
  queryStringParameters: z.nullish(z.record(z.string(), z.optional(z.string()))),
  body: z.nullish(z.string()),
});
export type WebSocketEvent = z.output<typeof WebSocketEvent>;

export type WebSocketResult = { statusCode: number; body?: string };
