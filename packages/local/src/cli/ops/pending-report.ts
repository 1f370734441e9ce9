/** `pending`'s output: a plain table (oldest first, as listPending returns them) or JSON. */
import type { StoredRecord } from "@awsomepets/core/callbacks/store";

const COLUMNS = ["RECORDED AT", "ORDER ID", "STATUS", "SEQ", "OCCURRED AT"] as const;

export function pendingLines(entries: readonly StoredRecord[], json: boolean): string[] {
  if (json) return [JSON.stringify(entries, null, 2)];
  if (entries.length === 0) return ["No pending statuses: every recorded status has reached a client."];
  const rows = entries.map((e) => [e.recordedAt, e.orderId, e.status, String(e.seq), e.occurredAt]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line), `${entries.length} pending status${entries.length === 1 ? "" : "es"}`];
}
