/**
 * One order's browser under chaos: a sequence of sockets (sessions) that all feed one `OrderTimeline`,
 * so every reconnect resumes with the cursor. It notes every frame that should never happen
 * (another order's frame, an error frame, a refused upgrade) as an anomaly instead of throwing.
 */
import WebSocket from "ws";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import { OrderTimeline } from "@awsomepets/client";

export type SessionKind =
  /** Gives up while `$connect` may still be running. */
  | "abort-during-connect"
  /** Opens, then closes before its first `sync` (statuses may still be posted to it meanwhile). */
  | "close-before-sync"
  /** Opens, syncs, listens for `holdMs`, closes normally. */
  | "sync-and-stay";

/** Longest a session waits for its socket to close before cutting it. */
const CLOSE_GRACE_MS = 5_000;

export class ChaosClient {
  readonly timeline: OrderTimeline;
  statusFrames = 0;
  sessions = 0;
  readonly anomalies: string[] = [];
  /** The open session; `synced` once its first `synced` frame arrived (a 410 for it then deletes its row). */
  current: { userAgent: string; synced: boolean } | undefined;

  constructor(
    readonly name: string,
    readonly orderId: string,
    readonly url: string,
  ) {
    this.timeline = new OrderTimeline(orderId);
  }

  /**
   * One socket's whole life; resolves once it has closed, whoever closed it, with whether the server
   * could be reached at all (false while the runtime is down: the caller backs off, as the page does).
   */
  async session(kind: SessionKind, delayMs: number): Promise<{ unreachable: boolean }> {
    this.sessions++;
    const userAgent = `${this.name}/session-${this.sessions}`;
    const socket = this.openSocket(userAgent);
    let unreachable = false;
    socket.once("error", (error: NodeJS.ErrnoException) => (unreachable = error.code === "ECONNREFUSED"));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, run: () => void) => timers.push(setTimeout(run, ms));

    if (kind === "abort-during-connect") later(delayMs, () => socket.terminate());
    socket.once("open", () => {
      this.current = { userAgent, synced: false };
      if (kind === "close-before-sync") return later(delayMs, () => socket.close(1000));
      if (kind === "sync-and-stay") {
        this.sync(socket);
        later(delayMs, () => socket.close(1000));
      }
    });
    socket.on("message", (data, isBinary) => {
      const frame = this.onFrame(socket, data, isBinary);
      if (frame?.type === "synced" && this.current?.userAgent === userAgent) this.current.synced = true;
    });
    later(delayMs + CLOSE_GRACE_MS, () => socket.terminate());
    await closed;
    timers.forEach(clearTimeout);
    if (this.current?.userAgent === userAgent) this.current = undefined;
    return { unreachable };
  }

  /** The final check: one more socket, syncing until the timeline has no gap. */
  async syncToEnd(timeoutMs: number): Promise<void> {
    const socket = this.openSocket(`${this.name}/final`);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${this.name}: no gap-free synced within ${timeoutMs} ms`)),
          timeoutMs,
        );
        socket.once("open", () => this.sync(socket));
        socket.on("message", (data, isBinary) => {
          const frame = this.onFrame(socket, data, isBinary);
          if (frame?.type === "synced" && !this.timeline.hasGap) {
            clearTimeout(timer);
            resolve();
          }
        });
        socket.once("close", (code) =>
          reject(
            new Error(
              `${this.name}: final socket closed (${code})${this.anomalies.length ? `; anomalies: ${this.anomalies.join("; ")}` : ""}`,
            ),
          ),
        );
      });
    } finally {
      socket.terminate();
    }
  }

  private openSocket(userAgent: string) {
    const socket = new WebSocket(this.url, { headers: { "User-Agent": userAgent } });
    socket.on("error", () => {}); // aborted or cut: the close event follows
    socket.on("unexpected-response", (_request, response) => {
      this.anomalies.push(`upgrade refused with ${response.statusCode}`);
      socket.terminate();
    });
    return socket;
  }

  private sync(socket: WebSocket) {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(this.timeline.syncRequest()));
  }

  private onFrame(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): Protocol.ServerFrame | undefined {
    if (isBinary) return void this.anomalies.push("binary frame");
    let frame: Protocol.ServerFrame;
    try {
      frame = JSON.parse(String(data)) as Protocol.ServerFrame;
    } catch {
      return void this.anomalies.push(`not JSON: ${String(data).slice(0, 100)}`);
    }
    if (frame.type !== "status" && frame.type !== "synced")
      return void this.anomalies.push(`unexpected frame ${JSON.stringify(frame)}`);
    if (frame.orderId !== this.orderId) return void this.anomalies.push(`frame of order ${frame.orderId}`);
    if (frame.type === "status") this.statusFrames++;
    const update = this.timeline.apply(frame);
    if (update.syncNeeded) this.sync(socket);
    return frame;
  }
}
