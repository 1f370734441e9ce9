/**
 * A deploy mid-order: an order's item written by the layout before the short names (`conn#<id>`
 * maps with their own expiry, history entries spelled out) is read and written by today's store on
 * the DynamoDB API under test — its connection syncs (the bucket too), hears statuses, is removed by
 * a 410 or `$disconnect`, and new connections and statuses join it in today's names.
 */
import { randomUUID } from "node:crypto";
import { GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as OrderStatus from "@awsomepets/core/status/event";
import {
  countingDocumentClient,
  createCallbackTable,
  testDocumentClient,
  testDynamoClient,
} from "@test-support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
const clock = new Date("2026-11-26T10:00:00.000Z");
let store: CallbackStore;
beforeAll(async () => {
  table = await createCallbackTable();
  store = new CallbackStore({ client, tableName: table.tableName, now: () => clock });
});
afterAll(() => table.drop());

const rate = SyncRateLimit.DEFAULT_SYNC_RATE;
const seconds = CallbackTable.epochSeconds;

/** The item as the layout before left it: `placed` recorded and read by a sync of `old=`, which still listens. */
async function itemOfTheLayoutBefore(orderId: string, connectionIds = ["old="]) {
  const connectedAt = clock.getTime() - 60_000;
  await client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...CallbackTable.orderKey(orderId),
        history: [{ status: "placed", occurredAt: "2026-11-26T09:59:00.000Z", recordedAt: "2026-11-26T09:59:00.100Z" }],
        [CallbackTable.listenersAttribute("placed")]: 1,
        lastSeq: 1,
        syncedSeq: 1,
        handovers: 1,
        connCount: connectionIds.length,
        ...Object.fromEntries(
          connectionIds.map((id) => [
            `conn#${id}`,
            {
              connectedAt,
              syncedAt: connectedAt + 100,
              expiresAt: seconds(new Date(connectedAt)) + CallbackTable.CONNECTION_TTL_SECONDS,
              idleTat: connectedAt + 600,
              toldTat: 0,
            },
          ]),
        ),
        expiresAt: seconds(clock) + 3600,
      },
    }),
  );
}

const rawItem = async (orderId: string) =>
  (await client.send(new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }))).Item!;
const detail = (orderId: string, status: OrderStatus.Status, extra: Partial<OrderStatus.StatusRecord> = {}) =>
  ({ orderId, status, occurredAt: clock.toISOString(), ...extra }) as OrderStatus.StatusRecord;

describe("an order's item of the layout before the short names", () => {
  it("is read as it was: its history, its connection and what is pending", async () => {
    const orderId = randomUUID();
    await itemOfTheLayoutBefore(orderId);
    const order = await store.readOrder(orderId);
    expect(order.history).toEqual([
      {
        orderId,
        seq: 1,
        status: "placed",
        occurredAt: "2026-11-26T09:59:00.000Z",
        recordedAt: "2026-11-26T09:59:00.100Z",
      },
    ]);
    expect(order.connections).toMatchObject([
      {
        connectionId: "old=",
        syncedAt: clock.getTime() - 59_900,
        bucket: { idleTat: clock.getTime() - 59_400, toldTat: 0 },
      },
    ]);
    expect([...order.pending]).toEqual([]);
  });

  it("keeps its connection's messages in that connection's names, the bucket's burst included", async () => {
    // Prepare
    const orderId = randomUUID();
    await itemOfTheLayoutBefore(orderId);
    // Act: more messages at once than the burst admits
    const answers = [];
    for (let i = 0; i < rate.burst + 1; i++)
      answers.push((await store.admitMessage({ orderId, connectionId: "old=", rate, held: true })).kind);
    // Assess
    expect(answers).toEqual([...Array(rate.burst).fill("admitted"), "limited"]);
    const item = await rawItem(orderId);
    expect(item["conn#old="]).toMatchObject({
      syncedAt: clock.getTime(),
      idleTat: clock.getTime() + 1000 / rate.perSecond,
      burstTat: expect.any(Number),
    });
    expect(item[CallbackTable.connectionAttribute("old=")]).toBeUndefined();
  });

  it("finds an old connection in an order it did not say it holds through the failed write's item, as AWS returns it", async () => {
    // Prepare: neither dynalite 4.0.0 nor the DynamoDB Local jar under test (2020) returns the item on a
    // failed condition (ReturnValuesOnConditionCheckFailure, 2023); AWS does, as the stand-in below
    const orderId = randomUUID();
    await itemOfTheLayoutBefore(orderId, ["old="]);
    const aws = withItemOnConditionFailure();
    const awsStore = new CallbackStore({ client: aws.client, tableName: table.tableName, now: () => clock });
    // Act: no `held` (the authorizer's context did not say this order)
    const withoutItem = await store.admitMessage({ orderId, connectionId: "old=", rate });
    const old = await awsStore.admitMessage({ orderId, connectionId: "old=", rate });
    aws.counting.reset();
    const stranger = await awsStore.admitMessage({ orderId, connectionId: "stranger=", rate });
    // Assess
    expect([withoutItem.kind, old.kind, stranger.kind]).toEqual(["not_subscribed", "admitted", "not_subscribed"]);
    expect(aws.counting.counts).toEqual({ UpdateItem: 1 });
  });

  it("records new statuses in today's names next to the old ones, and hands them to the old connection", async () => {
    // Prepare
    const orderId = randomUUID();
    await itemOfTheLayoutBefore(orderId);
    const reason = "Out of stock: ".padEnd(OrderStatus.REASON_MAX_LENGTH, "x");
    // Act
    const reserved = await store.recordStatus(detail(orderId, "reserved"));
    const released = await store.recordStatus(detail(orderId, "released", { reason }));
    const cancelled = await store.recordStatus(detail(orderId, "cancelled", { reason }));
    // Assess
    expect(reserved.order.connections.map((c) => c.connectionId)).toEqual(["old="]);
    expect([reserved, released, cancelled].map((r) => [r.entry.seq, r.isNew])).toEqual([
      [2, true],
      [3, true],
      [4, true],
    ]);
    const order = await store.readOrder(orderId);
    expect(order.history.map((e) => [e.status, e.seq, e.reason])).toEqual([
      ["placed", 1, undefined],
      ["reserved", 2, undefined],
      ["released", 3, reason],
      ["cancelled", 4, reason],
    ]);
    expect(order.history[1]!.recordedAt).toBe(clock.toISOString());
    // The long reason is kept once for both statuses.
    const item = await rawItem(orderId);
    expect(Object.keys(item).filter((k) => k.startsWith(CallbackTable.REASON_ATTRIBUTE_PREFIX))).toHaveLength(1);
    expect(await store.recordStatus(detail(orderId, "placed"))).toMatchObject({
      isNew: false,
      entry: { seq: 1, occurredAt: "2026-11-26T09:59:00.000Z" },
    });
  });

  it("counts old and new connections against one cap, and removes an old one on a 410 or $disconnect", async () => {
    // Prepare
    const orderId = randomUUID();
    await itemOfTheLayoutBefore(orderId, ["old1=", "old2="]);
    // Act
    const admitted = await store.addConnection({ orderId, connectionId: "new=", maxConnections: 3 });
    const refused = await store.addConnection({ orderId, connectionId: "late=", maxConnections: 3 });
    const gone = await store.removeGoneConnection({
      orderId,
      connectionId: "old1=",
      graceMs: 30_000,
      syncedAt: clock.getTime() - 59_900,
    });
    const left = await store.removeConnection({ orderId, connectionId: "old2=" });
    const again = await store.removeConnection({ orderId, connectionId: "old2=" });
    // Assess
    expect([admitted.admitted, refused.admitted, gone, left, again]).toEqual([true, false, true, true, false]);
    const item = await rawItem(orderId);
    expect(
      Object.keys(item).filter((k) => k.startsWith("conn#") || k.startsWith(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX)),
    ).toEqual([CallbackTable.connectionAttribute("new=")]);
    expect(item.connCount).toBe(1);
  });
});

/**
 * A counted client whose failed conditions carry the item as it is, as AWS answers a write that asks
 * ReturnValuesOnConditionCheckFailure: ALL_OLD (read right after the failure: no writer races here).
 */
function withItemOnConditionFailure() {
  const counting = countingDocumentClient();
  const reader = testDynamoClient();
  counting.client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as {
          TableName: string;
          Key: Record<string, AttributeValue>;
          ReturnValuesOnConditionCheckFailure?: string;
        };
        if (
          (error as Error).name === "ConditionalCheckFailedException" &&
          input.ReturnValuesOnConditionCheckFailure === "ALL_OLD" &&
          context.commandName === "UpdateItemCommand"
        ) {
          const { Item } = await reader.send(
            new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true }),
          );
          Object.assign(error as object, { Item });
        }
        throw error;
      }
    },
    { step: "build", name: "itemOnConditionFailure" },
  );
  return { client: counting.client, counting };
}
