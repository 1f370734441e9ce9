/**
 * A benchmark client: one socket for one order, opened with a signed callback URL and synced before
 * it counts as ready, reporting every frame with its arrival time. Against the seed baseline it
 * behaves as the seed's browser did: it sends `{"orderId": …}` once open and is ready then (the seed
 * has no `synced`; its $connect has written the connection row before the upgrade is answered).
 */
import WebSocket from "ws";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import { signedCallbackUrl } from "./bench-secret";
import type { Variant } from "./runtime-handle";

export type FrameListener = (frame: Protocol.ServerFrame, receivedAt: number) => void;

const READY_TIMEOUT_MS = 30_000;

export type SyncedSocket = { socket: WebSocket; close(): Promise<void> };

export function openSyncedSocket(
  websocketUrl: string,
  orderId: string,
  onFrame: FrameListener = () => {},
  variant: Variant = "ours",
): Promise<SyncedSocket> {
  const socket = new WebSocket(signedCallbackUrl(websocketUrl, orderId), { perMessageDeflate: false });
  const close = () =>
    new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(() => socket.terminate(), 5_000);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`socket for ${orderId} not synced within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("open", () => {
      if (variant === "ours") return socket.send(JSON.stringify({ action: "sync", orderId, after: 0 }));
      socket.send(JSON.stringify({ orderId }));
      clearTimeout(timer);
      resolve({ socket, close });
    });
    socket.on("message", (data) => {
      const receivedAt = performance.now();
      const frame = JSON.parse(String(data)) as Protocol.ServerFrame;
      if (frame.type === "synced") {
        clearTimeout(timer);
        resolve({ socket, close });
      }
      onFrame(frame, receivedAt);
    });
  });
}

export async function closeAll(sockets: readonly SyncedSocket[]) {
  await Promise.all(sockets.map((s) => s.close()));
}
