/** Listening on 127.0.0.1 (by default) with a one-line error that names a port already taken. */
import type { Server } from "node:http";

export class PortInUseError extends Error {
  /** Like the Node error it replaces, so callers can tell it apart by code. */
  readonly code = "EADDRINUSE";
  constructor(
    readonly port: number,
    readonly what: string,
  ) {
    super(`Port ${port} (${what}) is already in use.`);
    this.name = "PortInUseError";
  }
}

/** Resolves with the port bound (the one picked by the system when `port` is 0). */
export function listen(server: Server, port: number, what: string, host = "127.0.0.1") {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, what) : error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Stops listening and drops keep-alive connections (which would otherwise hold the server open). */
export function closeServer(server: Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
