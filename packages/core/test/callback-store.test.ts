import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallbackStore, CallbackTable, type OrderStatus } from "@awsomepets/core/index";
import { createCallbackTable, testDocumentClient } from "../../../test/support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
let clock = new Date("2026-11-26T10:00:00.000Z");
let store: CallbackStore;

beforeAll(async () => {
  table = await createCallbackTable();
  store = new CallbackStore({ client, tableName: table.tableName, historyRetentionSeconds: 3600, now: () => clock });
});
afterAll(() => table.drop());

const detail = (orderId: string, status: OrderStatus.Status, occurredAt: string, extra: Partial<OrderStatus.Detail> = {}) =>
  ({ orderId, status, occurredAt, ...extra }) as OrderStatus.Detail;

describe("CallbackStore.recordStatus", () => {
  it("numbers statuses 1, 2, 3 in arrival order and keeps the history in occurrence order", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: `paid` arrives before the earlier `reserved`
    const placed = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const paid = await store.recordStatus(detail(orderId, "paid", "2026-11-26T10:00:02.000Z", { amountPaid: 42.5 }));
    const reserved = await store.recordStatus(detail(orderId, "reserved", "2026-11-26T10:00:01.000Z"));
    // Assess
    expect([placed, paid, reserved].map((r) => [r.entry.seq, r.isNew])).toEqual([[1, true], [2, true], [3, true]]);
    const history = await store.history(orderId);
    expect(history.map((e) => [e.status, e.seq])).toEqual([["placed", 1], ["reserved", 3], ["paid", 2]]);
    expect(history[2]!.amountPaid).toBe(42.5);
  });

  it("never makes a second entry for the same status, even republished with another time", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    // Act
    const again = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:05:00.000Z"));
    // Assess
    expect(again).toMatchObject({ isNew: false, entry: { seq: 1, occurredAt: "2026-11-26T10:00:00.000Z" } });
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

  it("heals a crash between numbering a status and writing its history row", async () => {
    // Prepare: a sequence row that numbered `placed` but no history row (the writer died)
    const orderId = randomUUID();
    await client.send(new PutCommand({
      TableName: table.tableName,
      Item: { orderId, sk: CallbackTable.SEQUENCE_SK, lastSeq: 1, statuses: { placed: 1 }, expiresAt: Math.floor(clock.getTime() / 1000) + 3600 },
    }));
    // Act: the retry of the same event
    const retried = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    // Assess
    expect(retried).toMatchObject({ isNew: false, entry: { seq: 1, status: "placed" } });
    expect(await store.history(orderId)).toHaveLength(1);
  });

  it("treats an expired but unswept history as gone and starts a new one", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    const later = new Date(clock.getTime() + 2 * 3600_000);
    const laterStore = new CallbackStore({ client, tableName: table.tableName, historyRetentionSeconds: 3600, now: () => later });
    // Act
    const expiredHistory = await laterStore.history(orderId);
    const recorded = await laterStore.recordStatus(detail(orderId, "placed", "2026-11-26T12:00:00.000Z"));
    // Assess
    expect(expiredHistory).toEqual([]);
    expect(recorded).toMatchObject({ isNew: true, entry: { seq: 1, occurredAt: "2026-11-26T12:00:00.000Z" } });
  });

  it("marks a new status pending until clearPending, and lists pending ones", async () => {
    // Prepare
    const orderId = randomUUID();
    const { entry } = await store.recordStatus(detail(orderId, "placed", "2026-11-26T10:00:00.000Z"));
    // Act
    const pendingBefore = (await store.listPending()).filter((e) => e.orderId === orderId);
    await store.clearPending(orderId, entry.seq);
    await store.clearPending(orderId, entry.seq); // idempotent
    const pendingAfter = (await store.listPending()).filter((e) => e.orderId === orderId);
    // Assess
    expect(entry.pendingSince).toBe(clock.toISOString());
    expect(pendingBefore.map((e) => e.seq)).toEqual([1]);
    expect(pendingAfter).toEqual([]);
  });
});

describe("CallbackStore connections", () => {
  it("stores a connection row with a TTL past API Gateway's two-hour limit", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await store.putConnection({ orderId, connectionId: "c1=" });
    // Assess
    const { Item } = await client.send(new GetCommand({ TableName: table.tableName, Key: { orderId, sk: "conn#c1=" } }));
    expect(Item).toMatchObject({ connectionId: "c1=", connectedAt: clock.getTime() });
    expect(Item!.expiresAt - Math.floor(clock.getTime() / 1000)).toBeGreaterThan(2 * 3600);
    expect(await store.liveConnectionIds(orderId)).toEqual(["c1="]);
  });

  it("ignores expired connection rows", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.putConnection({ orderId, connectionId: "old=" });
    const later = new Date(clock.getTime() + 3 * 3600_000);
    const laterStore = new CallbackStore({ client, tableName: table.tableName, now: () => later });
    // Act & Assess
    expect(await laterStore.liveConnectionIds(orderId)).toEqual([]);
    expect(await laterStore.markSynced({ orderId, connectionId: "old=" })).toBe(false);
  });

  it("keeps a 410'd connection that may still be in $connect, deletes one that synced", async () => {
    // Prepare
    const orderId = randomUUID();
    await store.putConnection({ orderId, connectionId: "connecting=" });
    await store.putConnection({ orderId, connectionId: "synced=" });
    await store.markSynced({ orderId, connectionId: "synced=" });
    // Act
    const deletedConnecting = await store.deleteGoneConnection({ orderId, connectionId: "connecting=", graceMs: 30_000 });
    const deletedSynced = await store.deleteGoneConnection({ orderId, connectionId: "synced=", graceMs: 30_000 });
    // Assess
    expect([deletedConnecting, deletedSynced]).toEqual([false, true]);
    expect(await store.liveConnectionIds(orderId)).toEqual(["connecting="]);
  });

  it("deletes a 410'd never-synced connection once the grace period is over", async () => {
    const orderId = randomUUID();
    await store.putConnection({ orderId, connectionId: "stale=" });
    const later = new Date(clock.getTime() + 60_000);
    const laterStore = new CallbackStore({ client, tableName: table.tableName, now: () => later });
    expect(await laterStore.deleteGoneConnection({ orderId, connectionId: "stale=", graceMs: 30_000 })).toBe(true);
  });

  it("deletes every row of a connection through the index, across pages and batches", async () => {
    // Prepare: one connection id subscribed to 60 orders (more than two batches), and a neighbour
    const orderIds = Array.from({ length: 60 }, () => randomUUID());
    await Promise.all(orderIds.map((orderId) => store.putConnection({ orderId, connectionId: "many=" })));
    await store.putConnection({ orderId: orderIds[0]!, connectionId: "neighbour=" });
    // Act
    const deleted = await store.deleteConnection("many=");
    const deletedAgain = await store.deleteConnection("many=");
    // Assess
    expect([deleted, deletedAgain]).toEqual([60, 0]);
    expect(await store.liveConnectionIds(orderIds[0]!)).toEqual(["neighbour="]);
  });
});
