/**
 * Writing AWS responses on node:http: JSON bodies with a request id, and errors the SDKs map to their exception
 * classes.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

/**
 * The content types of the AWS protocols spoken here (EventBridge: JSON 1.1, Step Functions: JSON 1.0, @connections:
 * REST JSON).
 */
export const CONTENT_TYPES = {
  "json-1.0": "application/x-amz-json-1.0",
  "json-1.1": "application/x-amz-json-1.1",
  "rest-json": "application/json",
} as const;
export type AwsProtocol = keyof typeof CONTENT_TYPES;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  protocol: AwsProtocol,
  headers: Record<string, string> = {},
): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": CONTENT_TYPES[protocol],
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(payload);
}

/**
 * An AWS error: the SDKs read its type from `x-amzn-errortype` (every protocol) or the body's
 * `__type` (the JSON protocols); REST JSON services put only `message` in the body.
 */
export function sendAwsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  protocol: AwsProtocol,
): void {
  const body = protocol === "rest-json" ? { message } : { __type: type, message };
  sendJson(res, status, body, protocol, { "x-amzn-errortype": type });
}
