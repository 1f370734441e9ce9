/** Answers an upgrade request with a plain HTTP response, which is how a refused WebSocket handshake ends. */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/** Framing headers are the gateway's to set; a handler's copy of them would corrupt the response. */
const FRAMING_HEADERS = new Set(["content-length", "connection", "transfer-encoding", "upgrade"]);

export function rejectUpgrade(
  socket: Duplex,
  statusCode: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  if (socket.destroyed) return;
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const passed = Object.entries(headers).filter(
    ([name, value]) => !FRAMING_HEADERS.has(name.toLowerCase()) && !/[\r\n]/.test(name + value),
  );
  const lines = [
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? "Unknown"}`,
    ...passed.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${payload.length}`,
    "Connection: close",
  ];
  // Destroy once written: the client must see the status, and nothing may follow it.
  socket.once("finish", () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), payload]));
}
