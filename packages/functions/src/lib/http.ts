/**
 * API Gateway HTTP API (payload 2.0) events and responses: the parts the order routes use.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as z from "zod/mini";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";

const StringMap = z.nullish(z.record(z.string(), z.optional(z.string())));

export const HttpEvent = z.looseObject({
  headers: StringMap,
  queryStringParameters: StringMap,
  pathParameters: StringMap,
  body: z.nullish(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
});
export type HttpEvent = z.output<typeof HttpEvent>;

/** HTTP API lower-cases header names; looked up case-insensitively all the same. */
export function header(event: HttpEvent, name: string) {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

export const problem = (statusCode: number, message: string, extra: Record<string, unknown> = {}) =>
  json(statusCode, { message, ...extra });

/** The raw body as bytes, decoding API Gateway's base64 when it used it. */
export function bodyBytes(event: HttpEvent) {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/**
 * The edge's check (core's platform/origin-verify.ts) as the order API answers it: a Problem body, or
 * undefined when the request came through the edge. The value is never logged, nor is what was sent.
 */
export function refusedAroundTheEdge(event: HttpEvent, expected: string) {
  const verdict = OriginVerify.verify(event.headers, expected);
  return verdict.ok ? undefined : { reason: verdict.reason, response: problem(403, "Forbidden") };
}
