/**
 * The parts of an API Gateway WebSocket proxy event the routes read. `queryStringParameters` is
 * null when the URL has no query (a crash in the workshop's `$connect`).
 */
import { z } from "zod";

export const WebSocketEvent = z.looseObject({
  requestContext: z.looseObject({
    connectionId: z.string().min(1),
    routeKey: z.string(),
    domainName: z.string().optional(),
    stage: z.string().optional(),
  }),
  queryStringParameters: z.record(z.string(), z.string().optional()).nullish(),
  body: z.string().nullish(),
});
export type WebSocketEvent = z.infer<typeof WebSocketEvent>;

export type WebSocketResult = { statusCode: number; body?: string };
