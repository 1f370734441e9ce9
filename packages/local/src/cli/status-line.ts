/** How `watch-order` prints a status: occurrence time, seq, status, then reason / amount if any. */
import type * as Protocol from "@awsomepets/core/callbacks/protocol";

export function statusLine(frame: Protocol.StatusFrame) {
  const parts = [frame.occurredAt, `#${frame.seq}`.padEnd(4), frame.status.padEnd(9)];
  if (frame.reason !== undefined) parts.push(`reason=${JSON.stringify(frame.reason)}`);
  if (frame.amountPaid !== undefined) parts.push(`amountPaid=${frame.amountPaid}`);
  return parts.join("  ").trimEnd();
}
