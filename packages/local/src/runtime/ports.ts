/** Listening on 127.0.0.1 only, with a one-line error that names a port already taken. */
import type { Server } from "node:http";

export class PortInUseError extends Error {
  /** Like the Node error it replaces, so callers that know the port's variable can name it. */
  readonly code = "EADDRINUSE";
  constructor(readonly port: number, readonly what: string, readonly variable?: string) {
    super(`Port ${port} (${what}) is already in use${variable ? `; set ${variable} to another port` : ""}.`);
    this.name = "PortInUseError";
  }
}

export function listen(server: Server, port: number, what: string, variable?: string) {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, what, variable) : error);
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
}
