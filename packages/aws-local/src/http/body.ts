/** Reading a request body with a size limit, the one way every endpoint of this package does it. */
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/**
 * The whole body, or BodyTooLargeError once it exceeds `limit` bytes. The rest is drained (not kept)
 * so that the caller can still write its refusal on the same connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => (size <= limit ? resolve(Buffer.concat(chunks)) : reject(new BodyTooLargeError(limit))));
    req.on("error", reject);
  });
}
