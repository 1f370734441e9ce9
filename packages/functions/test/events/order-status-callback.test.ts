import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectEvent, disconnectEvent, messageEvent, statusEvent } from "../support/events";
import { MAX_CONNECTIONS_PER_ORDER, startHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.connections.reset());

async function connected(orderId: string, { synced = true } = {}) {
  const connectionId = `${randomUUID()}=`;
  expect(await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }))).toEqual({
    statusCode: 200,
  });
  h.connections.open(connectionId);
  if (synced) await h.handlers.sync(messageEvent(connectionId, JSON.stringify({ action: "sync", orderId }), "sync"));
  h.connections.reset();
  return connectionId;
}

const at = (s: number) => `2026-11-26T10:00:${String(s).padStart(2, "0")}.000Z`;

describe("OrderWSCallbackFunction (EventBridge target)", () => {
  it("with no connection, records the status as pending", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const result = await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: at(0) }));
    // Assess
    expect(result).toEqual({ accepted: true, seq: 1 });
    expect(h.connections.posts).toEqual([]);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId).map((e) => e.status)).toEqual(["placed"]);
  });

  it("pushes the status frame to the one connection of the order, and nothing to others", async () => {
    // Prepare
    const orderId = randomUUID();
    const mine = await connected(orderId);
    const other = await connected(randomUUID());
    // Act
    await h.handlers.callback(statusEvent({ orderId, status: "paid", occurredAt: at(1), amountPaid: 99.9 }));
    // Assess
    expect(h.connections.framesFor(mine)).toEqual([
      { type: "status", orderId, status: "paid", occurredAt: at(1), seq: 1, amountPaid: 99.9 },
    ]);
    expect(h.connections.framesFor(other)).toEqual([]);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId)).toEqual([]);
  });

  it("fans out to as many connections of one order as a deploy may allow", async () => {
    // Prepare
    const orderId = randomUUID();
    const ids = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS_PER_ORDER }, () => connected(orderId, { synced: false })),
    );
    h.connections.reset();
    // Act
    await h.handlers.callback(statusEvent({ orderId, status: "cancelled", occurredAt: at(2), reason: "Out of stock" }));
    // Assess
    for (const id of ids) {
      expect(h.connections.framesFor(id)).toEqual([
        { type: "status", orderId, status: "cancelled", occurredAt: at(2), seq: 1, reason: "Out of stock" },
      ]);
    }
  });

  it("keeps one seq per status through duplicated and reordered events", async () => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    const events = [
      statusEvent({ orderId, status: "reserved", occurredAt: at(1) }),
      statusEvent({ orderId, status: "placed", occurredAt: at(0) }),
      statusEvent({ orderId, status: "reserved", occurredAt: at(1) }),
      statusEvent({ orderId, status: "placed", occurredAt: at(0) }),
    ];
    // Act
    for (const event of events) await h.handlers.callback(event);
    // Assess: duplicates are re-posted with the same seq, so a client drops them
    const frames = h.connections.framesFor(connectionId);
    expect(frames.map((f) => [f.status, f.seq])).toEqual([
      ["reserved", 1],
      ["placed", 2],
      ["reserved", 1],
      ["placed", 2],
    ]);
    expect((await h.store.history(orderId)).map((e) => e.status)).toEqual(["placed", "reserved"]);
  });

  it("on 410 deletes the dead connection, keeps the history, and still serves the live one", async () => {
    // Prepare
    const orderId = randomUUID();
    const dead = await connected(orderId);
    const live = await connected(orderId);
    h.connections.close(dead); // died without $disconnect
    // Act
    await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: at(0) }));
    // Assess
    expect(await h.liveConnectionIds(orderId)).toEqual([live]);
    expect(h.connections.framesFor(live)).toHaveLength(1);
    expect((await h.store.history(orderId)).map((e) => e.seq)).toEqual([1]);
  });

  it("on 410 during $connect keeps the row, and the client's first sync gets the status", async () => {
    // Prepare: $connect wrote the row but API Gateway has not opened the socket yet
    const orderId = randomUUID();
    const connectionId = `${randomUUID()}=`;
    await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }));
    // Act
    await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: at(0) }));
    h.connections.open(connectionId);
    await h.handlers.sync(messageEvent(connectionId, JSON.stringify({ action: "sync", orderId, after: 0 }), "sync"));
    await h.handlers.callback(statusEvent({ orderId, status: "reserved", occurredAt: at(1) }));
    // Assess
    expect(h.connections.framesFor(connectionId).map((f) => f.status ?? f.type)).toEqual([
      "placed",
      "synced",
      "reserved",
    ]);
  });

  it("throws on a throttled post so that the platform retries, and the retry delivers", async () => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    h.connections.failWith(connectionId, 429);
    const event = statusEvent({ orderId, status: "placed", occurredAt: at(0) });
    // Act
    const first = h.handlers.callback(event);
    // Assess
    await expect(first).rejects.toThrow(
      /1 post\(s\) failed with a retryable error \(first: LimitExceededException: HTTP 429/,
    );
    h.connections.failWith(connectionId, undefined);
    await expect(h.handlers.callback(event)).resolves.toEqual({ accepted: true, seq: 1 });
    expect(h.connections.framesFor(connectionId).map((f) => f.seq)).toEqual([1]);
  });

  it("throws on a 5xx from @connections", async () => {
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    h.connections.failWith(connectionId, 500);
    await expect(h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: at(0) }))).rejects.toThrow();
  });

  it("does not retry a post refused with 403, and does not throw", async () => {
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    h.connections.failWith(connectionId, 403);
    await expect(
      h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: at(0) })),
    ).resolves.toMatchObject({ accepted: true });
  });

  it("accepts any RFC 3339 time with an offset and stores it as UTC milliseconds", async () => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    // Act
    await h.handlers.callback(statusEvent({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:02Z" }));
    await h.handlers.callback(
      statusEvent({ orderId, status: "reserved", occurredAt: "2026-11-26T12:00:03.123456+02:00" }),
    );
    // Assess
    expect(h.connections.framesFor(connectionId).map((f) => f.occurredAt)).toEqual([
      "2026-11-26T10:00:02.000Z",
      "2026-11-26T10:00:03.123Z",
    ]);
  });

  it("marks a status pending only when no connection took it, and a later delivery of it clears the mark", async () => {
    // Prepare: one socket that is gone (but within $connect's grace, so it stays)
    const orderId = randomUUID();
    const connectionId = `${randomUUID()}=`;
    await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }));
    const event = statusEvent({ orderId, status: "placed", occurredAt: at(0) });
    // Act
    await h.handlers.callback(event);
    const pendingWhileClosed = (await h.store.listPending()).filter((e) => e.orderId === orderId).map((e) => e.status);
    h.connections.open(connectionId);
    await h.handlers.callback(event); // EventBridge's duplicate, now deliverable
    const pendingAfter = (await h.store.listPending()).filter((e) => e.orderId === orderId);
    // Assess
    expect(pendingWhileClosed).toEqual(["placed"]);
    expect(pendingAfter).toEqual([]);
    expect(h.connections.framesFor(connectionId).map((f) => f.seq)).toEqual([1]);
  });

  it("never marks pending a status its client received, when the order's events are replayed after it left", async () => {
    // Prepare: a watched order runs to completion; then its client disconnects
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    const events = (["placed", "reserved", "paid", "completed"] as const).map((status, i) =>
      statusEvent({ orderId, status, occurredAt: at(i) }),
    );
    for (const event of events) await h.handlers.callback(event);
    await h.handlers.disconnect(disconnectEvent(connectionId, orderId));
    // Act: an operator replays the window (new event ids, same details), and EventBridge duplicates one
    for (const event of events) await h.handlers.callback({ ...event, id: randomUUID() });
    await h.handlers.callback(events[3]!);
    // Assess
    expect(h.connections.framesFor(connectionId).map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId)).toEqual([]);
  });

  it("delivers on retry after a crash between recording and posting, losing nothing pending", async () => {
    // Prepare: the first invocation recorded the status and died before posting (as the store's write alone)
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    await h.store.recordStatus({ orderId, status: "paid", occurredAt: at(2), amountPaid: 10 });
    // Act: the platform's retry of the same event
    const retried = await h.handlers.callback(
      statusEvent({ orderId, status: "paid", occurredAt: at(2), amountPaid: 10 }),
    );
    // Assess
    expect(retried).toEqual({ accepted: true, seq: 1 });
    expect(h.connections.framesFor(connectionId)).toEqual([
      { type: "status", orderId, status: "paid", occurredAt: at(2), seq: 1, amountPaid: 10 },
    ]);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId)).toEqual([]);
  });

  it.each([
    ["a missing detail", { detail: undefined }],
    ["an unknown status", { detail: { orderId: randomUUID(), status: "shipped", occurredAt: at(0) } }],
    ["an order id that is not a UUID", { detail: { orderId: "42", status: "placed", occurredAt: at(0) } }],
    ["a time that is not a time", { detail: { orderId: randomUUID(), status: "placed", occurredAt: "yesterday" } }],
    [
      "a time without an offset",
      { detail: { orderId: randomUUID(), status: "placed", occurredAt: "2026-11-26T10:00:00" } },
    ],
    ["a negative amount", { detail: { orderId: randomUUID(), status: "paid", occurredAt: at(0), amountPaid: -1 } }],
    [
      "an unexpected field",
      { detail: { orderId: randomUUID(), status: "placed", occurredAt: at(0), __proto__: { x: 1 }, admin: true } },
    ],
    ["another source", { source: "evil.corp" }],
  ])(
    "fails an event with %s, naming the fields, for the retry policy to dead-letter; writes nothing",
    async (_name, override) => {
      // Prepare
      const event = { ...statusEvent({ orderId: randomUUID(), status: "placed", occurredAt: at(0) }), ...override };
      const pendingBefore = (await h.store.listPending()).length;
      // Act
      const result = h.handlers.callback(event);
      // Assess
      await expect(result).rejects.toMatchObject({
        name: "InvalidStatusEventError",
        message: expect.stringMatching(/retrying cannot help: (detail|source)\S*: [a-z_]+/),
      });
      expect((await h.store.listPending()).length).toBe(pendingBefore);
    },
  );
});
