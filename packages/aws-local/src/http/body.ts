/** Reading a request body with a size limit, the one way every endpoint of this package does it. */
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/**
 * The whole body, or — once it exceeds `limit` bytes — a BodyTooLargeError returned (not thrown):
 * every caller answers it with its service's 413, so it is an outcome, not a failure. The rest is
 * drained (not kept) so that the caller can still write that refusal on the same connection. A broken
 * request stream rejects.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | BodyTooLargeError> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks) : new BodyTooLargeError(limit)));
    req.on("error", reject);
  });
}
