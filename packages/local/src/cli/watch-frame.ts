/**
 * One received text frame applied to the order's timeline, without I/O: what to print, whether a
 * `sync` is due, and whether watching is over: a terminal status is held and no seq is missing, as
 * confirmed by a sync answer (a status numbered just before the terminal one may still be in flight).
 */
import type { OrderTimeline, Protocol } from "@awsomepets/core/index";
import { duplicateLine, statusLine } from "./status-line";

export type FrameOutcome = {
  /** For stdout: new statuses and duplicate notes. */
  lines: string[];
  /** For stderr: server error frames and unreadable frames. */
  warnings: string[];
  /**
   * `now`: a live status revealed a gap; `later`: a sync answer still left a gap (a status numbered
   * but not yet in the history), so asking again at once would only spin.
   */
  sync?: "now" | "later";
  /** A `synced` frame ended the answer to our sync. */
  synced: boolean;
  /** Terminal status held, no gap, and a sync answer agrees: stop watching. */
  finished: boolean;
};

function parseServerFrame(text: string): Protocol.ServerFrame | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== "object" || json === null || typeof (json as { type?: unknown }).type !== "string") return undefined;
    return json as Protocol.ServerFrame;
  } catch {
    return undefined;
  }
}

export function applyFrame(timeline: OrderTimeline, text: string): FrameOutcome {
  const outcome: FrameOutcome = { lines: [], warnings: [], synced: false, finished: false };
  const frame = parseServerFrame(text);
  if (!frame) {
    outcome.warnings.push(`ignored a frame that is not a server message: ${text.slice(0, 120)}`);
    return outcome;
  }
  const update = timeline.apply(frame);
  if (update.error) outcome.warnings.push(`server error ${update.error.code}: ${update.error.message}`);
  if (update.added) outcome.lines.push(statusLine(update.added));
  if (update.duplicate && frame.type === "status") outcome.lines.push(duplicateLine(frame));
  if (frame.type === "synced" && frame.orderId === timeline.orderId) outcome.synced = true;
  if (update.syncNeeded) outcome.sync = outcome.synced ? "later" : "now";
  const complete = timeline.terminal !== undefined && !timeline.hasGap;
  if (complete && outcome.synced) outcome.finished = true;
  // Complete as far as live frames tell: confirm with one sync before stopping.
  else if (complete) outcome.sync = "now";
  return outcome;
}
