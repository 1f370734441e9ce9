import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as OrderStatus from "@awsomepets/core/status/event";
import { countingDocumentClient, createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
const clock = new Date("2026-11-26T10:00:00.000Z");
let store: CallbackStore;
const storeAt = (at: Date) =>
  new CallbackStore({ client, tableName: table.tableName, historyRetentionSeconds: 3600, now: () => at });

beforeAll(async () => {
  table = await createCallbackTable();
  store = new CallbackStore({ client, tableName: table.tableName, historyRetentionSeconds: 3600, now: () => clock });
});
afterAll(() => table.drop());

const rate = SyncRateLimit.DEFAULT_SYNC_RATE;

const detail = (
  orderId: string,
  status: OrderStatus.Status,
  occurredAt: string,
  extra: Partial<OrderStatus.StatusRecord> = {},
) => ({ orderId, status, occurredAt, ...extra }) as OrderStatus.StatusRecord;

describe("CallbackStore.recordStatus", () => {
  it("numbers statuses 1, 2, 3 in arrival order and keeps the history in occurrence order", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: `paid` arrives before the earlier `reserved`
    const placed = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const paid = await store.recordStatus(detail(orderId, "paid", "2026-11-26T10:00:02.000Z", { amountPaid: 42.5 }));
    const reserved = await store.recordStatus(detail(orderId, "reserved", "2026-11-26T10:00:01.000Z"));
    // Assess
    expect([placed, paid, reserved].map((r) => [r.entry.seq, r.isNew])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    const history = await store.history(orderId);
    expect(history.map((e) => [e.status, e.seq])).toEqual([
      ["placed", 1],
      ["reserved", 3],
      ["paid", 2],
    ]);
    expect(history[2]).toEqual({
      orderId,
      status: "paid",
      occurredAt: "2026-11-26T10:00:02.000Z",
      amountPaid: 42.5,
      seq: 2,
      recordedAt: clock.toISOString(),
    });
  });

  it("reads an entry whose long reason's attribute is gone with a generic reason, and says so in a log line", async () => {
    // Prepare: a long reason (kept in its own attribute), then that attribute removed by hand
    const orderId = randomUUID();
    const reason = "Out of stock: ".padEnd(OrderStatus.REASON_MAX_LENGTH, "x");
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    await store.recordStatus(detail(orderId, "cancelled", "2026-11-26T10:00:01.000Z", { reason }));
    const { Item } = await client.send(
      new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
    );
    const [attribute] = Object.keys(Item!).filter((k) => k.startsWith(CallbackTable.REASON_ATTRIBUTE_PREFIX));
    await client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: CallbackTable.orderKey(orderId),
        UpdateExpression: "REMOVE #r",
        ExpressionAttributeNames: { "#r": attribute! },
      }),
    );
    const warn = vi.spyOn(console, "warn");
    // Act
    const history = await store.history(orderId);
    const lines = warn.mock.calls.map(([line]) => JSON.parse(String(line)));
    warn.mockRestore();
    // Assess
    expect(history.map((e) => [e.status, e.reason])).toEqual([
      ["placed", undefined],
      ["cancelled", CallbackTable.UNREADABLE_REASON],
    ]);
    expect(lines).toEqual([expect.objectContaining({ level: "WARN", orderId, status: "cancelled", attribute })]);
  });

  it("records a status in one request and returns the connections listening at that instant", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "c1=", maxConnections: 10 });
    const counting = countingDocumentClient();
    const countingStore = new CallbackStore({ client: counting.client, tableName: table.tableName, now: () => clock });
    // Act
    const { order, isNew } = await countingStore.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    // Assess
    expect(isNew).toBe(true);
    expect(order.connections.map((c) => c.connectionId)).toEqual(["c1="]);
    expect(counting.counts).toEqual({ UpdateItem: 1 });
  });

  it("never makes a second entry for the same status; the first detail wins", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    // Act
    const again = await store.recordStatus(detail(orderId, "placed", "2099-01-01T00:00:00.000Z", { reason: "forged" }));
    // Assess
    expect(again).toMatchObject({ isNew: false, entry: { seq: 1, occurredAt: "2026-11-26T10:00:00.000Z" } });
    expect(again.entry.reason).toBeUndefined();
    expect(await store.history(orderId)).toHaveLength(1);
  });

  it("gives concurrent deliveries of distinct and duplicate statuses gapless, unique seqs", async () => {
    // Prepare: every status of a failing order, each delivered three times, all at once
    const orderId = randomUUID();
    const statuses: OrderStatus.Status[] = ["placed", "reserved", "paid", "refunded", "released", "cancelled"];
    const deliveries = statuses.flatMap((status, i) =>
      [0, 1, 2].map(() => detail(orderId, status, `2026-11-26T10:00:0${i}.000Z`)),
    );
    // Act
    const results = await Promise.all(deliveries.map((d) => store.recordStatus(d)));
    // Assess
    const seqOf = new Map<string, Set<number>>();
    for (const r of results) seqOf.set(r.entry.status, (seqOf.get(r.entry.status) ?? new Set()).add(r.entry.seq));
    expect([...seqOf.values()].every((seqs) => seqs.size === 1)).toBe(true);
    expect([...seqOf.values()].map((s) => [...s][0]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.filter((r) => r.isNew)).toHaveLength(6);
    expect((await store.history(orderId)).map((e) => e.status)).toEqual(statuses);
  });

  it("treats an expired but unswept order item as gone and starts a new history", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const later = storeAt(new Date(clock.getTime() + 2 * 3600_000));
    // Act
    const expiredHistory = await later.history(orderId);
    const recorded = await later.recordStatus(detail(orderId, "placed", "2026-11-26T12:00:00.000Z"));
    // Assess
    expect(expiredHistory).toEqual([]);
    expect(recorded).toMatchObject({ isNew: true, entry: { seq: 1, occurredAt: "2026-11-26T12:00:00.000Z" } });
  });

  it("keeps statuses unique in an item written before the listeners# layout (a deploy mid-order)", async () => {
    // Prepare: the order's item as the previous layout wrote it: `recorded` held the statuses
    const orderId = randomUUID();
    const entry = { status: "placed", occurredAt: "2026-11-26T10:00:00.000Z", recordedAt: clock.toISOString() };
    const expiresAt = Math.floor(clock.getTime() / 1000) + 3600;
    await client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...CallbackTable.orderKey(orderId), history: [entry], recorded: new Set(["placed"]), expiresAt },
      }),
    );
    // Act
    const again = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const next = await store.recordStatus(detail(orderId, "reserved", "2026-11-26T10:00:01.000Z"));
    // Assess
    expect([again.isNew, again.entry.seq, next.isNew, next.entry.seq]).toEqual([false, 1, true, 2]);
  });

  it("a status recorded with nobody listening is pending without a mark, until a message is admitted", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const whileNobodyListened = await store.readOrder(orderId);
    await store.addConnection({ orderId, connectionId: "heard=", maxConnections: 10 });
    await store.recordStatus(detail(orderId, "reserved", "2026-11-26T10:00:01.000Z"));
    const withAListener = await store.readOrder(orderId);
    // Act
    const admission = await store.admitMessage({ orderId, connectionId: "heard=", rate: { perSecond: 2, burst: 5 } });
    // Assess
    expect([...whileNobodyListened.pending]).toEqual(["placed"]);
    expect([...whileNobodyListened.marked]).toEqual([]);
    expect([...withAListener.pending]).toEqual(["placed"]);
    expect(admission.kind === "admitted" && [...admission.order.pending]).toEqual(["placed"]); // as the message read it
    expect([...(await store.readOrder(orderId)).pending]).toEqual([]);
  });

  it("marks statuses pending, clears them idempotently, and lists pending ones oldest first", async () => {
    // Prepare: recorded while a connection listened (so not pending by derivation)
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "listener=", maxConnections: 10 });
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    await store.recordStatus(detail(orderId, "reserved", "2026-11-26T10:00:01.000Z"));
    // Act
    await store.markPending(orderId, ["placed"], 0);
    await store.markPending(orderId, ["reserved"], 0);
    const pendingBefore = (await store.listPending()).filter((e) => e.orderId === orderId);
    await store.clearPending(orderId, ["placed"]);
    await store.clearPending(orderId, ["placed"]); // idempotent
    const pendingAfter = (await store.listPending()).filter((e) => e.orderId === orderId);
    // Assess
    expect(pendingBefore.map((e) => e.status)).toEqual(["placed", "reserved"]);
    expect(pendingAfter.map((e) => e.status)).toEqual(["reserved"]);
  });

  it("never creates an order item just to mark a status pending", async () => {
    const orderId = randomUUID();
    await store.markPending(orderId, ["placed"], 0);
    const { Item } = await client.send(
      new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
    );
    expect(Item).toBeUndefined();
  });
});

describe("CallbackStore connections", () => {
  it("subscribes a connection with a TTL past API Gateway's two-hour limit, in one write and one item", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const counting = countingDocumentClient();
    const admission = await new CallbackStore({
      client: counting.client,
      tableName: table.tableName,
      now: () => clock,
    }).addConnection({ orderId, connectionId: "c1=", maxConnections: 10 });
    // Assess
    expect(admission).toEqual({ admitted: true });
    expect(counting.counts).toEqual({ UpdateItem: 1 });
    const { Item } = await client.send(
      new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
    );
    // Only when it connected (epoch ms, 54 bytes once synced): its expiry follows from that.
    expect(Item![CallbackTable.connectionAttribute("c1=")]).toEqual({
      [CallbackTable.CONNECTION_FIELDS.connectedAt]: clock.getTime(),
    });
    expect(CallbackTable.connectionExpiresAt(clock.getTime()) - Math.floor(clock.getTime() / 1000)).toBeGreaterThan(
      2 * 3600,
    );
  });

  it("refuses the connection past the cap, even when many connect at once", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: 8 sockets race for 5 places
    const admissions = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.addConnection({ orderId, connectionId: `race${i}=`, maxConnections: 5 }),
      ),
    );
    // Assess
    expect(admissions.filter((a) => a.admitted)).toHaveLength(5);
    const refused = admissions.filter((a) => !a.admitted);
    expect(refused.map((a) => (a.admitted ? -1 : a.connections.length))).toEqual([5, 5, 5]);
  });

  it("admits many racing connects under the cap without contention, and counts removals once", async () => {
    // Prepare
    const orderId = randomUUID();
    const ids = Array.from({ length: 40 }, (_, i) => `crowd${i}=`);
    // Act
    const admissions = await Promise.all(
      ids.map((connectionId) => store.addConnection({ orderId, connectionId, maxConnections: 50 })),
    );
    await Promise.all([
      store.removeConnection({ orderId, connectionId: "crowd0=" }),
      store.removeConnection({ orderId, connectionId: "crowd0=" }),
      store.removeConnection({ orderId, connectionId: "crowd1=" }),
    ]);
    // Assess
    expect(admissions.every((a) => a.admitted)).toBe(true);
    const order = await store.readOrder(orderId);
    expect([order.connections.length, order.connCount]).toEqual([38, 38]);
  });

  it("does not count expired connections against the cap, and prunes them", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "old1=", maxConnections: 2 });
    await store.addConnection({ orderId, connectionId: "old2=", maxConnections: 2 });
    const later = new CallbackStore({
      client,
      tableName: table.tableName,
      historyRetentionSeconds: 6 * 3600,
      now: () => new Date(clock.getTime() + 3 * 3600_000),
    });
    // Act
    const admission = await later.addConnection({ orderId, connectionId: "new=", maxConnections: 2 });
    // Assess
    expect(admission).toEqual({ admitted: true });
    const { Item } = await client.send(
      new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
    );
    expect(Object.keys(Item!).filter((k) => k.startsWith(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX))).toEqual([
      CallbackTable.connectionAttribute("new="),
    ]);
  });

  it("ignores expired connections when syncing", async () => {
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "old=", maxConnections: 10 });
    const later = storeAt(new Date(clock.getTime() + 3 * 3600_000));
    expect(await later.admitMessage({ orderId, connectionId: "old=", rate })).toEqual({ kind: "not_subscribed" });
  });

  it("lets a connection sync only the order it was admitted for", async () => {
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "mine=", maxConnections: 10 });
    expect(await store.admitMessage({ orderId: randomUUID(), connectionId: "mine=", rate })).toEqual({
      kind: "not_subscribed",
    });
    expect(await store.admitMessage({ orderId, connectionId: "mine=", rate })).toMatchObject({ kind: "admitted" });
    expect((await store.readOrder(orderId)).connections[0]).toMatchObject({
      connectionId: "mine=",
      syncedAt: clock.getTime(),
    });
  });

  it("costs an order the connection is not on one failed write, not one per layout", async () => {
    // Prepare: an order with a status and a listener, and a stranger who never connected to it
    const orderId = randomUUID();
    await store.recordStatus({ orderId, status: "placed", occurredAt: clock.toISOString() });
    await store.addConnection({ orderId, connectionId: "listener=", maxConnections: 10 });
    const counting = countingDocumentClient();
    const counted = new CallbackStore({ client: counting.client, tableName: table.tableName, now: () => clock });
    // Act
    const admission = await counted.admitMessage({ orderId, connectionId: "stranger=", rate });
    // Assess
    expect(admission).toEqual({ kind: "not_subscribed" });
    expect(counting.counts).toEqual({ UpdateItem: 1 });
  });

  it("admits a connection's messages as a bucket: the burst at once, then one per interval, a refusal told once per streak", async () => {
    // Prepare: 2 per second, burst 5, on a clock the test moves
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "busy=", maxConnections: 10 });
    const at = (ms: number) => storeAt(new Date(clock.getTime() + ms));
    const take = async (ms: number, count: number) => {
      const kinds = [];
      for (let i = 0; i < count; i++) {
        const admission = await at(ms).admitMessage({ orderId, connectionId: "busy=", rate });
        kinds.push(admission.kind === "limited" ? (admission.tell ? "told" : "dropped") : admission.kind);
      }
      return kinds;
    };
    // Act
    const burst = await take(0, 8);
    const afterOneInterval = await take(500, 3);
    const afterAPause = await take(60_000, 6);
    // Assess
    expect(burst).toEqual(["admitted", "admitted", "admitted", "admitted", "admitted", "told", "dropped", "dropped"]);
    expect(afterOneInterval).toEqual(["admitted", "told", "dropped"]);
    expect(afterAPause).toEqual(["admitted", "admitted", "admitted", "admitted", "admitted", "told"]);
  });

  it("admits at most the burst of many messages racing on one connection", async () => {
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "racing=", maxConnections: 10 });
    const admissions = await Promise.all(
      Array.from({ length: 20 }, () => store.admitMessage({ orderId, connectionId: "racing=", rate })),
    );
    expect(admissions.filter((a) => a.kind === "admitted")).toHaveLength(rate.burst);
    expect(admissions.filter((a) => a.kind === "limited" && a.tell)).toHaveLength(1);
  });

  it("keeps a 410'd connection that may still be in $connect, removes one that synced", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "connecting=", maxConnections: 10 });
    await store.addConnection({ orderId, connectionId: "synced=", maxConnections: 10 });
    await store.admitMessage({ orderId, connectionId: "synced=", rate });
    const syncedAt = (await store.readOrder(orderId)).connections.find((c) => c.connectionId === "synced=")?.syncedAt;
    // Act
    const removedConnecting = await store.removeGoneConnection({
      orderId,
      connectionId: "connecting=",
      graceMs: 30_000,
      syncedAt: undefined,
    });
    const removedSynced = await store.removeGoneConnection({
      orderId,
      connectionId: "synced=",
      graceMs: 30_000,
      syncedAt,
    });
    // Assess
    expect([removedConnecting, removedSynced]).toEqual([false, true]);
    const { order } = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    expect(order.connections.map((c) => c.connectionId)).toEqual(["connecting="]);
  });

  it("removes a 410'd never-synced connection once the grace period is over", async () => {
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "stale=", maxConnections: 10 });
    const later = storeAt(new Date(clock.getTime() + 60_000));
    expect(
      await later.removeGoneConnection({ orderId, connectionId: "stale=", graceMs: 30_000, syncedAt: undefined }),
    ).toBe(true);
  });

  it("forgets a connection on $disconnect, idempotently, leaving its neighbours", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "leaving=", maxConnections: 10 });
    await store.addConnection({ orderId, connectionId: "neighbour=", maxConnections: 10 });
    // Act
    const first = await store.removeConnection({ orderId, connectionId: "leaving=" });
    const again = await store.removeConnection({ orderId, connectionId: "leaving=" });
    // Assess: the retry finds nothing to uncount
    expect([first, again]).toEqual([true, false]);
    expect((await store.readOrder(orderId)).connCount).toBe(1);
    const { order } = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    expect(order.connections.map((c) => c.connectionId)).toEqual(["neighbour="]);
  });

  it("keeps nothing for a connection refused at the cap", async () => {
    const orderId = randomUUID();
    await store.addConnection({ orderId, connectionId: "first=", maxConnections: 1 });
    expect(await store.addConnection({ orderId, connectionId: "second=", maxConnections: 1 })).toMatchObject({
      admitted: false,
    });
    const order = await store.readOrder(orderId);
    expect([order.connCount, order.connections.map((c) => c.connectionId)]).toEqual([1, ["first="]]);
  });

  it("does not create an order item when an unknown connection disconnects", async () => {
    const orderId = randomUUID();
    expect(await store.removeConnection({ orderId, connectionId: "never-seen=" })).toBe(false);
    const { Item } = await client.send(
      new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
    );
    expect(Item).toBeUndefined();
  });
});
