import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectEvent, messageEvent, statusEvent } from "../support/events";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { startHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.connections.reset());

async function connected(orderId: string) {
  const connectionId = `${randomUUID()}=`;
  expect(await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }))).toEqual({
    statusCode: 200,
  });
  h.connections.open(connectionId);
  return connectionId;
}

const sync = (connectionId: string, orderId: string, after?: number) =>
  h.handlers.sync(messageEvent(connectionId, JSON.stringify({ action: "sync", orderId, after }), "sync", orderId));

describe("sync ($default and sync routes; OrderWSPendingFunction)", () => {
  it("sends exactly the statuses after the cursor, in occurrence order, then `synced`", async () => {
    // Prepare: four statuses recorded while nobody listened, `paid` arriving before `reserved`
    const orderId = randomUUID();
    for (const [status, at] of [
      ["placed", "00"],
      ["paid", "02"],
      ["reserved", "01"],
      ["completed", "03"],
    ] as const) {
      await h.handlers.callback(statusEvent({ orderId, status, occurredAt: `2026-11-26T10:00:${at}.000Z` }));
    }
    const connectionId = await connected(orderId);
    // Act
    await sync(connectionId, orderId, 2);
    // Assess: seqs were 1 placed, 2 paid, 3 reserved, 4 completed; after 2 → reserved, completed
    expect(h.connections.framesFor(connectionId)).toEqual([
      { type: "status", orderId, status: "reserved", occurredAt: "2026-11-26T10:00:01.000Z", seq: 3 },
      { type: "status", orderId, status: "completed", occurredAt: "2026-11-26T10:00:03.000Z", seq: 4 },
      { type: "synced", orderId, lastSeq: 4 },
    ]);
  });

  it("sends the whole history without a cursor and clears the pending marks it delivered", async () => {
    // Prepare
    const orderId = randomUUID();
    await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }));
    const connectionId = await connected(orderId);
    const pendingBefore = (await h.store.listPending()).filter((e) => e.orderId === orderId);
    // Act
    await sync(connectionId, orderId);
    // Assess
    expect(pendingBefore).toHaveLength(1);
    expect(h.connections.framesFor(connectionId).map((f) => f.type)).toEqual(["status", "synced"]);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId)).toEqual([]);
  });

  it("answers `synced` with lastSeq 0 for an order with no status yet", async () => {
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    await sync(connectionId, orderId);
    expect(h.connections.framesFor(connectionId)).toEqual([{ type: "synced", orderId, lastSeq: 0 }]);
  });

  it("refuses to sync an order the connection did not subscribe to", async () => {
    // Prepare: a socket admitted for order A asks for order B's history
    const [orderA, orderB] = [randomUUID(), randomUUID()];
    await h.handlers.callback(
      statusEvent({ orderId: orderB, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }),
    );
    const connectionId = await connected(orderA);
    // Act
    const result = await sync(connectionId, orderB);
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    expect(h.connections.framesFor(connectionId)).toEqual([
      { type: "error", code: "not_subscribed", message: expect.any(String) },
    ]);
  });

  it.each([
    ["a bare sync", { action: "sync" }],
    ["the seed browser's message", "ORDER_ID"],
    ["any JSON object without an action", { hello: "there" }],
  ])("answers %s with the whole history, finding the order from the connection", async (_name, message) => {
    // Prepare: sent the instant the socket opens, before any other read could have warmed anything
    const orderId = randomUUID();
    await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }));
    const connectionId = await connected(orderId);
    const body = message === "ORDER_ID" ? JSON.stringify({ orderId }) : JSON.stringify(message);
    // Act
    await h.handlers.sync(messageEvent(connectionId, body, "$default", orderId));
    // Assess
    expect(h.connections.framesFor(connectionId)).toEqual([
      { type: "status", orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z", seq: 1 },
      { type: "synced", orderId, lastSeq: 1 },
    ]);
  });

  it("refuses a flood of syncs on one socket, saying rate_limited once per streak, and serves it again later", async () => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    const { perSecond, burst } = SyncRateLimit.DEFAULT_SYNC_RATE;
    // Act: far more than the burst, one after the other
    const started = Date.now();
    for (let i = 0; i < 30; i++) await sync(connectionId, orderId);
    const seconds = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    await sync(connectionId, orderId);
    // Assess: the burst, then what the rate refills while the flood lasts; every refusal streak is told
    // once (an admitted sync ends a streak), and after a pause the socket is served again
    const frames = h.connections.framesFor(connectionId);
    const kinds = frames.map((f) => (f.type === "error" ? f.code : f.type));
    const served = kinds.filter((k) => k === "synced").length - 1;
    expect(served).toBeGreaterThanOrEqual(burst);
    expect(served).toBeLessThanOrEqual(burst + Math.ceil(seconds * perSecond));
    expect(kinds.filter((k) => k === "rate_limited").length).toBeGreaterThanOrEqual(1);
    expect(kinds.join(" ")).not.toMatch(/rate_limited rate_limited/);
    expect(kinds.at(-1)).toBe("synced");
    expect(new Set(kinds)).toEqual(new Set(["synced", "rate_limited"]));
  });

  it.each([
    ["invalid messages", () => "not json"],
    ["syncs of an order it does not hold", () => JSON.stringify({ action: "sync", orderId: randomUUID() })],
  ])("counts %s against the socket's limit too", async (_name, body) => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    const { perSecond, burst } = SyncRateLimit.DEFAULT_SYNC_RATE;
    // Act
    const started = Date.now();
    for (let i = 0; i < 20; i++) await h.handlers.sync(messageEvent(connectionId, body(), "$default", orderId));
    const seconds = (Date.now() - started) / 1000;
    // Assess: answered like syncs (the burst and the refill), then refused
    const codes = h.connections.framesFor(connectionId).map((f) => f.code);
    const answered = codes.filter((c) => c !== "rate_limited").length;
    expect(answered).toBeGreaterThanOrEqual(burst);
    expect(answered).toBeLessThanOrEqual(burst + Math.ceil(seconds * perSecond));
    expect(codes).toContain("rate_limited");
  });

  it.each([
    ["plain text", "hello", "bad_request"],
    ["an empty body", "", "bad_request"],
    ["a null body", null, "bad_request"],
    ["an unknown action", JSON.stringify({ action: "order-pizza" }), "unknown_action"],
    ["a JSON array", "[1,2]", "bad_request"],
    ["a negative cursor", JSON.stringify({ action: "sync", after: -1 }), "bad_request"],
    ["an action named like a prototype property", JSON.stringify({ action: "constructor" }), "unknown_action"],
    ["a huge string", JSON.stringify({ action: "sync", orderId: "x".repeat(100_000) }), "bad_request"],
  ])("answers %s with an error frame and keeps the connection", async (_name, body, code) => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    // Act
    const result = await h.handlers.sync(messageEvent(connectionId, body, "$default", orderId));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    const frames = h.connections.framesFor(connectionId);
    expect(frames).toEqual([{ type: "error", code, message: expect.any(String) }]);
    expect(frames[0].message.length).toBeLessThan(600);
    expect(await h.liveConnectionIds(orderId)).toEqual([connectionId]);
  });
});
