import { expect, it } from "vitest";
import { OrderTimeline, type Protocol } from "@awsomepets/core/index";
import { statusLine } from "../../src/cli/status-line";
import { applyFrame } from "../../src/cli/watch-frame";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const status = (seq: number, s: Protocol.StatusFrame["status"], extra: Partial<Protocol.StatusFrame> = {}) =>
  JSON.stringify({ type: "status", orderId: ORDER, status: s, seq, occurredAt: `2026-11-26T10:00:0${seq}.000Z`, ...extra });
const synced = (lastSeq: number) => JSON.stringify({ type: "synced", orderId: ORDER, lastSeq });

it("prints a new status with time, seq, status, reason and amount", () => {
  expect(statusLine({ type: "status", orderId: ORDER, status: "paid", seq: 3, occurredAt: "2026-11-26T10:00:03.000Z", amountPaid: 42.5 })).toBe(
    "2026-11-26T10:00:03.000Z  #3    paid       amountPaid=42.5",
  );
  expect(statusLine({ type: "status", orderId: ORDER, status: "cancelled", seq: 2, occurredAt: "2026-11-26T10:00:02.000Z", reason: "no stock" })).toBe(
    '2026-11-26T10:00:02.000Z  #2    cancelled  reason="no stock"',
  );
});

it("prints new statuses once and notes duplicates", () => {
  // Prepare
  const timeline = new OrderTimeline(ORDER);
  // Act
  const first = applyFrame(timeline, status(1, "placed"));
  const again = applyFrame(timeline, status(1, "placed"));
  // Assess
  expect(first).toEqual({ lines: [statusLine(JSON.parse(status(1, "placed")))], warnings: [], synced: false, finished: false });
  expect(again.lines).toEqual(["(duplicate #1 placed dropped)"]);
});

it("asks for a sync now when a live status reveals a gap, and later when a sync answer leaves one", () => {
  // Prepare
  const timeline = new OrderTimeline(ORDER);
  // Act
  const gap = applyFrame(timeline, status(2, "reserved"));
  const stillGap = applyFrame(timeline, synced(2));
  const filled = applyFrame(timeline, status(1, "placed"));
  // Assess
  expect(gap.sync).toBe("now");
  expect(stillGap).toMatchObject({ sync: "later", synced: true });
  expect(filled.sync).toBeUndefined();
  expect(timeline.cursor).toBe(2);
});

it("finishes at a terminal status only once no seq is missing and a sync answer confirms it", () => {
  // Prepare
  const timeline = new OrderTimeline(ORDER);
  applyFrame(timeline, status(1, "placed"));
  // Act
  const early = applyFrame(timeline, status(3, "completed"));
  const filled = applyFrame(timeline, status(2, "reserved"));
  const confirmed = applyFrame(timeline, synced(3));
  // Assess
  expect(early).toMatchObject({ finished: false, sync: "now" });
  expect(filled).toMatchObject({ finished: false, sync: "now" });
  expect(confirmed.finished).toBe(true);
});

it("does not finish when the confirming sync reveals a later status", () => {
  // Prepare
  const timeline = new OrderTimeline(ORDER);
  applyFrame(timeline, status(1, "placed"));
  applyFrame(timeline, status(2, "completed"));
  // Act
  const answer = applyFrame(timeline, synced(3));
  // Assess
  expect(answer).toMatchObject({ finished: false, sync: "later" });
});

it("warns about server errors and unreadable frames without changing the timeline", () => {
  const timeline = new OrderTimeline(ORDER);
  expect(applyFrame(timeline, JSON.stringify({ type: "error", code: "internal", message: "boom" })).warnings).toEqual(["server error internal: boom"]);
  expect(applyFrame(timeline, "garbage").warnings[0]).toMatch(/not a server message/);
  expect(timeline.cursor).toBe(0);
});
