/** Every connection the gateway knows, from its upgrade request until its socket closes. */
import { WebSocket } from "ws";
import type { ConnectionTimers } from "./connection-timers";
import type { AuthorizerContext } from "./events";

export type ConnectionIdentity = { sourceIp: string; userAgent: string };

/** A close code and reason, as sent in the close frame and reported to `$disconnect`. */
export type CloseCause = { code: number; reason: string };

export type Connection = {
  id: string;
  /** `connecting` while `$connect` runs: API Gateway answers 410 for such a connection, and so do we. */
  state: "connecting" | "open";
  connectedAt: number;
  lastActiveAt: number;
  identity: ConnectionIdentity;
  /** From the upgrade URL's query string, for the log: the app subscribes one connection per order. */
  orderId?: string;
  /** What `$connect`'s authorizer allowed it with, given to every later route as `requestContext.authorizer`. */
  authorizer?: AuthorizerContext;
  socket?: WebSocket;
  timers?: ConnectionTimers;
  /** Set when the gateway closes the socket: the client's echo of the close frame may be missing or differ. */
  closeCause?: CloseCause;
  /** Ends the socket if the client never answers the gateway's close frame. */
  closeDeadline?: NodeJS.Timeout;
};

export class ConnectionRegistry {
  private readonly byId = new Map<string, Connection>();

  add(connection: Connection) {
    this.byId.set(connection.id, connection);
  }

  /** The connection if `@connections` may use it: `$connect` done, socket open and not being closed. */
  postable(id: string): (Connection & { socket: WebSocket }) | undefined {
    const connection = this.byId.get(id);
    if (connection?.state !== "open" || !connection.socket || connection.closeCause) return undefined;
    if (connection.socket.readyState !== WebSocket.OPEN) return undefined;
    return connection as Connection & { socket: WebSocket };
  }

  /** Removes the connection; true only the first time, so `$disconnect` runs at most once. */
  remove(id: string) {
    return this.byId.delete(id);
  }

  connecting() {
    return [...this.byId.values()].filter((connection) => connection.state === "connecting");
  }

  open() {
    return [...this.byId.values()].filter((connection) => connection.state === "open");
  }
}

/** Any frame in or out keeps a connection alive and is what `GetConnection` reports as `LastActiveAt`. */
export function markActive(connection: Connection) {
  connection.lastActiveAt = Date.now();
  connection.timers?.touch();
}
