/** Reading bounded request bodies and writing AWS JSON 1.1 responses on node:http. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const AWS_JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
/** Far above the 256 KB PutEvents limit; a body this large is refused before it is parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** Collects the body up to `limit` bytes; beyond that the rest is discarded and BodyTooLargeError thrown. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(`Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = AWS_JSON_CONTENT_TYPE): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(payload);
}

/** An AWS JSON 1.1 error: the SDKs read the type from `x-amzn-errortype` or `__type`. */
export function sendAwsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.setHeader("x-amzn-errortype", type);
  sendJson(res, status, { __type: type, message });
}
