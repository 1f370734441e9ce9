import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as Topology from "@awsomepets/core/platform/topology";
import { MAX_SEQ, OrderTimeline } from "../src/order-timeline";
import { readServerFrame, SYNC_ANSWER_TIMEOUT_MS } from "../src/order-timeline";

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
    expect(timeline.apply({ type: "error", code: "not_subscribed", message: "no" })).toEqual({
      error: { code: "not_subscribed", message: "no" },
    });
    expect(timeline.statuses).toEqual([]);
  });

  it("takes API Gateway's own frames for the end of the sync in flight, and asks for it again", () => {
    // Prepare: the sync on open, throttled by API Gateway (as its bucket is empty after a reconnect wave)
    const timeline = new OrderTimeline(orderId);
    timeline.syncRequest();
    const throttled = readServerFrame('{"message": "Too Many Requests", "connectionId":"abc=", "requestId":"r1"}');
    // Act & Assess: the sync is over, unanswered; a pushed status that leaves a gap asks again
    expect(timeline.apply(throttled)).toEqual({
      gateway: { message: "Too Many Requests", throttled: true },
      syncRefused: true,
    });
    expect(timeline.apply(status(2, "reserved", 1))).toMatchObject({ syncNeeded: true });
  });

  it("ends the sync in flight on every error frame; asks again after rate_limited and internal only", () => {
    for (const [code, refused] of [
      ["rate_limited", true],
      ["internal", true],
      ["bad_request", undefined],
      ["not_subscribed", undefined],
    ] as const) {
      const timeline = new OrderTimeline(orderId);
      timeline.syncRequest();
      expect(timeline.apply({ type: "error", code, message: "m" }), code).toEqual({
        error: { code, message: "m" },
        syncRefused: refused,
      });
      expect(timeline.apply(status(2, "reserved", 1)).syncNeeded, code).toBe(true);
    }
  });

  it("holds no seq past MAX_SEQ, nor takes such a lastSeq for a gap (a hostile or broken server)", () => {
    // Prepare
    const timeline = new OrderTimeline(orderId);
    timeline.apply(status(1, "placed", 0));
    // Act
    const far = timeline.apply(status(MAX_SEQ + 1, "paid", 1));
    const fraction = timeline.apply(status(1.5, "paid", 1));
    timeline.syncRequest();
    const synced = timeline.apply({ type: "synced", orderId, lastSeq: 1e12 });
    // Assess
    expect(far).toEqual({});
    expect(fraction).toEqual({});
    expect(synced).toEqual({ syncNeeded: false });
    expect(timeline.statuses.map((s) => s.seq)).toEqual([1]);
    expect(timeline.hasGap).toBe(false);
  });

  it("forgets a sync given up as lost, so that a gap asks again", () => {
    const timeline = new OrderTimeline(orderId);
    timeline.syncRequest();
    expect(timeline.apply(status(2, "reserved", 1)).syncNeeded).toBe(false); // part of an answer, for all it knows
    timeline.syncLost();
    expect(timeline.apply(status(3, "paid", 2)).syncNeeded).toBe(true);
  });

  it("waits for a sync's answer longer than API Gateway waits for the sync route's function", () => {
    const route = Topology.WEBSOCKET_ROUTES.sync;
    expect(SYNC_ANSWER_TIMEOUT_MS).toBeGreaterThan(29_000);
    expect(SYNC_ANSWER_TIMEOUT_MS).toBeGreaterThan(Topology.FUNCTION_RUNTIME[route].timeoutSeconds * 1000);
  });
});

describe("readServerFrame", () => {
  it("tells the protocol's frames from API Gateway's, whatever arrives, without throwing", () => {
    const synced = { type: "synced", orderId, lastSeq: 2 };
    expect(readServerFrame(JSON.stringify(synced))).toEqual(synced);
    expect(readServerFrame(JSON.stringify(status(1, "placed", 0)))).toEqual(status(1, "placed", 0));
    expect(readServerFrame('{"type":"error","code":"internal","message":"m"}')).toEqual({
      type: "error",
      code: "internal",
      message: "m",
    });
    // API Gateway's frames, as it sends them (no `type`)
    expect(readServerFrame('{"message": "Too Many Requests", "connectionId":"c", "requestId":"r"}')).toEqual({
      type: "gateway",
      message: "Too Many Requests",
      throttled: true,
    });
    expect(readServerFrame('{"message": "Internal server error", "connectionId":"c", "requestId":"r"}')).toEqual({
      type: "gateway",
      message: "Internal server error",
      throttled: false,
    });
    expect(readServerFrame('{"message": "Forbidden", "connectionId":"c", "requestId":"r"}')).toEqual({
      type: "gateway",
      message: "Forbidden",
      throttled: false,
    });
    // Anything else that is not the protocol's counts as one of them; a `type` added later is ignored
    expect(readServerFrame("upstream gone")).toEqual({ type: "gateway", message: "upstream gone", throttled: false });
    expect(readServerFrame("[1]")).toMatchObject({ type: "gateway" });
    expect(readServerFrame("null")).toMatchObject({ type: "gateway" });
    expect(readServerFrame('{"message": 42}')).toMatchObject({ type: "gateway", message: '{"message": 42}' });
    expect(readServerFrame(new ArrayBuffer(2))).toMatchObject({ type: "gateway" });
    expect(readServerFrame("x".repeat(10_000))!).toMatchObject({ type: "gateway" });
    expect((readServerFrame("x".repeat(10_000)) as Protocol.GatewayFrame).message).toHaveLength(256);
    expect(readServerFrame('{"type":"hello"}')).toBeUndefined();
    expect(new OrderTimeline(orderId).apply(undefined)).toEqual({});
  });
});
