/**
 * An emulator's HTTP server: each request goes to an async handler, and whatever it throws becomes
 * one logged line and a 500 in the service's own error shape (or a dropped socket once the answer
 * has started), never an unhandled rejection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export function createEmulatorServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onInternalError: (error: unknown, res: ServerResponse) => void,
): Server {
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) onInternalError(error, res);
      else res.destroy();
    });
  });
}
