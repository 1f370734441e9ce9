/**
 * The raw sockets `npm run smoke` opens beside the client package: one that keeps every frame as
 * text (a gateway frame has no `type`, so the client's classification would hide its shape), and an
 * upgrade whose refusal status is read (`ws`'s `unexpected-response`; no platform WebSocket shows it).
 */
import WebSocket from "ws";

export type Frame = { text: string; json?: Record<string, unknown> };

function readFrame(data: WebSocket.RawData): Frame {
  const text = String(data);
  try {
    const json = JSON.parse(text);
    return typeof json === "object" && json !== null && !Array.isArray(json) ? { text, json } : { text };
  } catch {
    return { text };
  }
}

export type SmokeSocket = Awaited<ReturnType<typeof openSmokeSocket>>;

/** Opens the URL; rejects with the upgrade's HTTP status if it was refused. */
export async function openSmokeSocket(url: string, timeoutMs: number) {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on("message", (data) => frames.push(readFrame(data)));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`the socket did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("open", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("unexpected-response", (_request, response) => {
      clearTimeout(timer);
      response.resume();
      socket.terminate();
      reject(new Error(`the upgrade was refused with HTTP ${response.statusCode}`));
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return {
    frames,
    send: (message: string) => socket.send(message),
    /** Resolves with the first frame (from `from` on) that matches, or undefined after `timeoutMs`. */
    async waitFor(match: (frame: Frame) => boolean, timeoutMs: number, from = 0): Promise<Frame | undefined> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.slice(from).find(match);
        if (found || Date.now() > deadline || socket.readyState !== WebSocket.OPEN) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    /** Closes with 1000 and waits for the close to complete (at most 5 s, then cuts it). */
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close(1000, "smoke done");
      const cut = setTimeout(() => socket.terminate(), 5_000);
      await closed;
      clearTimeout(cut);
    },
  };
}

/** The HTTP status an upgrade was refused with, or `opened` (then closed at once). */
export function upgradeStatus(url: string, timeoutMs: number): Promise<number | "opened" | "no answer"> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      resolve("no answer");
    }, timeoutMs);
    socket.once("unexpected-response", (_request, response) => {
      clearTimeout(timer);
      response.resume();
      socket.terminate();
      resolve(response.statusCode ?? 0);
    });
    socket.once("open", () => {
      clearTimeout(timer);
      socket.close(1000, "smoke done");
      resolve("opened");
    });
    // A refusal also ends in `error`, after `unexpected-response` has resolved; a network failure only here.
    socket.once("error", () => {
      clearTimeout(timer);
      resolve("no answer");
    });
  });
}
