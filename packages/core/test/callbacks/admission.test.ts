/**
 * admitMessage on a real table (dynalite, or DynamoDB Local in that project): a subscribed connection's
 * messages are admitted up to the bucket's burst at one instant, refused as `limited` past it (told once
 * per streak), admitted again as the bucket refills; a connection with no subscription is `not_subscribed`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as MessageAdmission from "@awsomepets/core/callbacks/admission";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
const start = new Date("2026-11-26T10:00:00.000Z").getTime();
/** A clock the test moves; the store and the admission read the same one. */
let nowMs = start;
const now = () => new Date(nowMs);
const rate: SyncRateLimit.SyncRate = { perSecond: 2, burst: 3 };

beforeAll(async () => {
  table = await createCallbackTable();
});
afterAll(() => table.drop());

const store = () => new CallbackStore({ client, tableName: table.tableName, historyRetentionSeconds: 3600, now });
const admit = (orderId: string, connectionId: string) =>
  MessageAdmission.admitMessage({ client, tableName: table.tableName, now }, { orderId, connectionId, rate });

async function subscribed() {
  nowMs = start;
  const orderId = randomUUID();
  await store().addConnection({ orderId, connectionId: "sync=", maxConnections: 10 });
  return orderId;
}

describe("admitMessage", () => {
  it("admits a subscribed connection's message and counts it as a hand-over", async () => {
    // Prepare
    const orderId = await subscribed();
    // Act
    const first = await admit(orderId, "sync=");
    const second = await admit(orderId, "sync=");
    // Assess
    expect(first.kind).toBe("admitted");
    expect(first.kind === "admitted" && first.order.connections.map((c) => c.connectionId)).toEqual(["sync="]);
    expect(second.kind === "admitted" && second.order.handovers).toBe(2);
  });

  it("admits the burst at one instant, then refuses with `limited`, telling only the first refusal", async () => {
    // Prepare
    const orderId = await subscribed();
    const burst = SyncRateLimit.effectiveBurst(rate);
    // Act
    const kinds = [];
    for (let i = 0; i < burst + 3; i++) kinds.push(await admit(orderId, "sync="));
    // Assess
    expect(kinds.slice(0, burst).map((a) => a.kind)).toEqual(Array(burst).fill("admitted"));
    expect(kinds.slice(burst)).toEqual([
      { kind: "limited", tell: true },
      { kind: "limited", tell: false },
      { kind: "limited", tell: false },
    ]);
  });

  it("refills one message per interval, and the whole burst after a quiet spell", async () => {
    // Prepare: the bucket emptied at `start`
    const orderId = await subscribed();
    const burst = SyncRateLimit.effectiveBurst(rate);
    for (let i = 0; i <= burst; i++) await admit(orderId, "sync=");
    // Act: one interval later, one message passes and the next is refused (a new streak, told again)
    nowMs = start + SyncRateLimit.intervalMs(rate);
    const refilled = [await admit(orderId, "sync="), await admit(orderId, "sync=")];
    // …and after a quiet spell the whole burst passes again
    nowMs = start + 60_000;
    const afterQuiet = [];
    for (let i = 0; i < burst; i++) afterQuiet.push((await admit(orderId, "sync=")).kind);
    // Assess
    expect(refilled.map((a) => a.kind)).toEqual(["admitted", "limited"]);
    expect(refilled[1]).toEqual({ kind: "limited", tell: true });
    expect(afterQuiet).toEqual(Array(burst).fill("admitted"));
  });

  it("refuses a connection that holds no subscription to the order as `not_subscribed`", async () => {
    // Prepare
    const orderId = await subscribed();
    await store().removeConnection({ orderId, connectionId: "sync=" });
    // Act
    const removed = await admit(orderId, "sync=");
    const stranger = await admit(orderId, "other=");
    const noOrder = await admit(randomUUID(), "sync=");
    // Assess
    expect([removed, stranger, noOrder]).toEqual(Array(3).fill({ kind: "not_subscribed" }));
  });

  it("refuses a connection older than API Gateway's two-hour limit as `not_subscribed`", async () => {
    // Prepare
    const orderId = await subscribed();
    // Act: past the connection's lifetime (the item itself is kept longer for the history)
    nowMs = start + 2 * 3600_000 + 1000;
    const admission = await admit(orderId, "sync=");
    // Assess
    expect(admission).toEqual({ kind: "not_subscribed" });
  });
});
