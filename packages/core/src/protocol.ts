/**
 * The WebSocket message formats (JSON text frames) between the callback API and the browser.
 * docs/protocol.md explains them and why no status is lost or shown twice.
 */
import { z } from "zod";
import type { Status } from "./order-status";

/** Client → server. `after` is the client's cursor: the highest seq up to which it has every status. */
export const SyncRequest = z.strictObject({
  action: z.literal("sync"),
  orderId: z.uuid(),
  after: z.number().int().nonnegative().max(1_000_000).default(0),
});
export type SyncRequest = z.infer<typeof SyncRequest>;

export const SYNC_ACTION = "sync";

export type StatusFrame = {
  type: "status";
  orderId: string;
  status: Status;
  occurredAt: string;
  seq: number;
  reason?: string;
  amountPaid?: number;
};

/** Ends the answer to a `sync`: the client now holds every status up to `lastSeq`. */
export type SyncedFrame = { type: "synced"; orderId: string; lastSeq: number };

export const ERROR_CODES = ["bad_request", "unknown_action", "not_subscribed", "internal"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string };

export type ServerFrame = StatusFrame | SyncedFrame | ErrorFrame;

export const encode = (frame: ServerFrame) => JSON.stringify(frame);

export const errorFrame = (code: ErrorCode, message: string): ErrorFrame => ({ type: "error", code, message });

/**
 * Reads a client frame. Returns a SyncRequest, or an error frame saying what is wrong; never throws,
 * whatever the body (API Gateway hands over any text, up to 128 KB).
 */
export function parseClientMessage(body: string | undefined | null): SyncRequest | ErrorFrame {
  let json: unknown;
  try {
    json = JSON.parse(body ?? "");
  } catch {
    return errorFrame("bad_request", "Messages must be JSON objects, e.g. {\"action\":\"sync\",\"orderId\":\"…\",\"after\":0}");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return errorFrame("bad_request", "Messages must be JSON objects");
  }
  const action = (json as Record<string, unknown>).action;
  if (action !== SYNC_ACTION) {
    return errorFrame("unknown_action", `Unknown action ${JSON.stringify(action ?? null).slice(0, 64)}; the only action is "sync"`);
  }
  const parsed = SyncRequest.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ");
    return errorFrame("bad_request", `Invalid sync request: ${issues}`.slice(0, 512));
  }
  return parsed.data;
}
