import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OrderTimeline, type Protocol } from "@awsomepets/core/index";

const orderId = randomUUID();
const status = (seq: number, name: string, second: number): Protocol.StatusFrame => ({
  type: "status",
  orderId,
  status: name as Protocol.StatusFrame["status"],
  occurredAt: `2026-11-26T10:00:0${second}.000Z`,
  seq,
});

describe("OrderTimeline", () => {
  it("drops duplicates by seq and orders by occurrence", () => {
    // Prepare
    const timeline = new OrderTimeline(orderId);
    // Act
    timeline.apply(status(1, "placed", 0));
    timeline.apply(status(3, "reserved", 1)); // arrived after `paid`, happened before it
    timeline.apply(status(2, "paid", 2));
    const again = timeline.apply(status(2, "paid", 2));
    // Assess
    expect(again).toEqual({ duplicate: true });
    expect(timeline.duplicatesDropped).toBe(1);
    expect(timeline.statuses.map((s) => s.status)).toEqual(["placed", "reserved", "paid"]);
    expect(timeline.cursor).toBe(3);
  });

  it("asks for a sync when a pushed status reveals a gap, not while a sync is being answered", () => {
    // Prepare
    const timeline = new OrderTimeline(orderId);
    timeline.apply(status(1, "placed", 0));
    // Act & Assess: a push of seq 3 while 2 is missing
    expect(timeline.apply(status(3, "paid", 2)).syncNeeded).toBe(true);
    const request = timeline.syncRequest();
    expect(request).toEqual({ action: "sync", orderId, after: 1 });
    // the answer comes in occurrence order: 3 (duplicate) may precede 2; no new sync during it
    expect(timeline.apply(status(3, "paid", 2)).syncNeeded).toBeUndefined();
    expect(timeline.apply(status(2, "reserved", 1)).syncNeeded).toBe(false);
    expect(timeline.apply({ type: "synced", orderId, lastSeq: 3 }).syncNeeded).toBe(false);
    expect(timeline.cursor).toBe(3);
  });

  it("asks again after `synced` if the server holds more than it received", () => {
    const timeline = new OrderTimeline(orderId);
    timeline.syncRequest();
    timeline.apply(status(1, "placed", 0));
    expect(timeline.apply({ type: "synced", orderId, lastSeq: 2 })).toEqual({ syncNeeded: true });
  });

  it("ignores frames of other orders and reports error frames", () => {
    const timeline = new OrderTimeline(orderId);
    expect(timeline.apply({ ...status(1, "placed", 0), orderId: randomUUID() })).toEqual({});
    expect(timeline.apply({ type: "error", code: "not_subscribed", message: "no" })).toEqual({ error: { code: "not_subscribed", message: "no" } });
    expect(timeline.statuses).toEqual([]);
  });
});
