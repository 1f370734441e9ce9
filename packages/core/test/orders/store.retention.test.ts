/**
 * An order's data has an end: its item in OrdersTbl expires `orderRetentionDays` after it was placed
 * (every reader then treats it as absent, since TTL deletes late and dynalite never), its
 * Idempotency-Key's record first; and `Erasure.eraseOrder` removes it from every table at once,
 * idempotently. Real tables (dynalite, or DynamoDB Local in that project), real SDK clients.
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Erasure from "@awsomepets/core/orders/erasure";
import * as Orders from "@awsomepets/core/orders/service";
import * as OrdersTable from "@awsomepets/core/orders/table";
import { OrderStore } from "@awsomepets/core/orders/store";
import { createCallbackTable, testDocumentClient, testDynamoClient } from "@test-support/dynamodb";

const raw = testDynamoClient();
const client = testDocumentClient();
const ordersTable = `OrdersTbl-${randomUUID()}`;
let callbacks: Awaited<ReturnType<typeof createCallbackTable>>;
const secret = "s".repeat(40);
const PLACED = new Date("2026-11-26T10:00:00.000Z");
const DAY_MS = 24 * 60 * 60 * 1000;
let clock = PLACED;

const store = (retentionDays?: number) =>
  new OrderStore({ client, tableName: ordersTable, now: () => clock, orderRetentionDays: retentionDays });
const accepted = { send: async () => ({ Entries: [{ EventId: "1" }], FailedEntryCount: 0, executionArn: "arn" }) };
const deps = (retentionDays?: number): Orders.OrderDeps => ({
  store: store(retentionDays),
  sfn: accepted as unknown as SFNClient,
  eventBridge: accepted as unknown as EventBridgeClient,
  stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:test",
  eventBusName: "bus",
  websocketUrl: "wss://ws.example.com/dev",
  tokenKeys: { current: secret },
  stage: "dev",
  now: () => clock,
});
const request = {
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
};

async function place(key?: string, retentionDays?: number) {
  clock = PLACED;
  const result = await Orders.placeOrder(deps(retentionDays), { request, ...(key && { idempotencyKey: key }) });
  if (result.kind !== "placed") throw new Error("not placed");
  return { orderId: result.orderId, token: new URL(result.clientCallbackUrl).searchParams.get("token")! };
}

/** Every item of both tables that belongs to the order, found by scanning (not through the code under test). */
async function itemsOf(orderId: string) {
  const scan = async (TableName: string) =>
    (await client.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? [];
  const orders = (await scan(ordersTable)).filter((item) => item.orderId === orderId);
  const callbackItems = (await scan(callbacks.tableName)).filter(
    (item) => item[CallbackTable.PARTITION_KEY] === orderId,
  );
  return [...orders.map((item) => String(item.pk).split("#")[0]), ...callbackItems.map(() => "callback")].sort();
}

beforeAll(async () => {
  await raw.send(new CreateTableCommand(OrdersTable.createTableInput(ordersTable)));
  callbacks = await createCallbackTable();
});
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: ordersTable }));
  await callbacks.drop();
  raw.destroy();
});

describe("an order's retention", () => {
  it("is the order item's TTL, days after it was placed; the Idempotency-Key's record expires first (24 h)", async () => {
    // Act
    const { orderId } = await place(randomUUID(), 7);
    // Assess
    const { Items = [] } = await client.send(new ScanCommand({ TableName: ordersTable, ConsistentRead: true }));
    const order = Items.find((item) => item.pk === `order#${orderId}`)!;
    const claim = Items.find((item) => item.pk === `idempotency#${order.idempotencyKeyHash}`)!;
    expect(order.expiresAt).toBe(PLACED.getTime() / 1000 + 7 * 24 * 60 * 60);
    expect(claim).toMatchObject({ orderId, expiresAt: PLACED.getTime() / 1000 + OrdersTable.IDEMPOTENCY_TTL_SECONDS });
    expect(claim.expiresAt).toBeLessThan(order.expiresAt);
  });

  it("past it, the order is absent for every reader, although TTL has not deleted the item yet", async () => {
    // Prepare
    const { orderId, token } = await place(undefined, 2);
    clock = new Date(PLACED.getTime() + 2 * DAY_MS - 1000);
    const before = await store().getOrder(orderId);
    // Act: one second past the retention
    clock = new Date(PLACED.getTime() + 2 * DAY_MS);
    const after = await store().getOrder(orderId);
    const applied = await store().applyStatus({ orderId, status: "reserved", occurredAt: clock.toISOString() });
    const paid = await store().recordPayment(orderId, { outcome: "paid", paymentId: "p", amountPaid: 450 });
    // A token still valid at that time (signed late, as no real link is) meets no order either.
    const lateToken = CallbackToken.sign({ orderId, stage: "dev", secret, now: clock });
    const view = await Orders.viewOrder(
      { store: store(), tokenKeys: { current: secret }, stage: "dev", now: () => clock },
      { orderId, token: lateToken },
    );
    const oldLink = await Orders.viewOrder(
      { store: store(), tokenKeys: { current: secret }, stage: "dev", now: () => clock },
      { orderId, token },
    );
    // Assess
    expect(before?.orderId).toBe(orderId);
    expect([after, applied, paid]).toEqual([undefined, false, undefined]);
    expect(view).toEqual({ kind: "not_found" });
    expect(oldLink).toEqual({ kind: "forbidden", reason: "token is expired" }); // the link itself lasts 24 hours
    const { Item } = await client.send(
      new GetCommand({ TableName: ordersTable, Key: OrdersTable.orderKey(orderId), ConsistentRead: true }),
    );
    expect(Item?.statuses).toEqual({ placed: expect.any(Object) }); // nothing written to the expired item
  });

  it("shows a link holder no address and no card", async () => {
    // Prepare
    const { orderId, token } = await place();
    // Act
    const view = await Orders.viewOrder(
      { store: store(), tokenKeys: { current: secret }, stage: "dev", now: () => clock },
      { orderId, token },
    );
    // Assess
    expect(view.kind).toBe("found");
    const shown = JSON.stringify(view);
    for (const text of ["Ana Silva", "Rua Augusta", "Lisboa", "1100-048", "tok_visa"])
      expect(shown, text).not.toContain(text);
  });
});

describe("Erasure.eraseOrder", () => {
  it("leaves nothing of the order in either table: its item, its Idempotency-Key's record and its callback item", async () => {
    // Prepare: an order placed with a key, whose status the callback path recorded
    const key = randomUUID();
    const { orderId } = await place(key);
    const callbackStore = new CallbackStore({ client, tableName: callbacks.tableName, now: () => clock });
    await callbackStore.recordStatus({ orderId, status: "placed", occurredAt: PLACED.toISOString() });
    const other = await place(randomUUID()); // another customer's order stays
    expect(await itemsOf(orderId)).toEqual(["callback", "idempotency", "order"]);

    // Act
    const first = await Erasure.eraseOrder({ client, ordersTable, clientCallbackTable: callbacks.tableName }, orderId);
    const second = await Erasure.eraseOrder({ client, ordersTable, clientCallbackTable: callbacks.tableName }, orderId);

    // Assess
    expect(first).toEqual({
      orderId,
      removed: { order: true, idempotencyRecord: true, callbackItem: true },
      idempotencyKeyKnown: true,
      status: "placed",
    });
    expect(await itemsOf(orderId)).toEqual([]);
    expect(second).toEqual({
      orderId,
      removed: { order: false, idempotencyRecord: false, callbackItem: false },
      idempotencyKeyKnown: false,
    });
    expect(Erasure.nothingRemoved(second)).toBe(true);
    expect(await itemsOf(other.orderId)).toEqual(["idempotency", "order"]);
    // The key is free again: a retry with it now places a new order rather than answering the erased one.
    clock = PLACED;
    const retried = await Orders.placeOrder(deps(), { request, idempotencyKey: key });
    expect(retried).toMatchObject({ kind: "placed", orderId: expect.not.stringMatching(orderId) });
  });

  it("removes an expired order's item too, and leaves a key's record that names another order", async () => {
    // Prepare: the order's item points at a key whose record now belongs to another order
    const { orderId } = await place(undefined, 2);
    const hash = "f".repeat(64);
    await client.send(
      new PutCommand({
        TableName: ordersTable,
        Item: { ...OrdersTable.idempotencyKey(hash), orderId: "another", requestHash: "x" },
      }),
    );
    const { Item } = await client.send(new GetCommand({ TableName: ordersTable, Key: OrdersTable.orderKey(orderId) }));
    await client.send(new PutCommand({ TableName: ordersTable, Item: { ...Item, idempotencyKeyHash: hash } }));
    clock = new Date(PLACED.getTime() + 30 * DAY_MS);

    // Act
    const report = await Erasure.eraseOrder({ client, ordersTable, clientCallbackTable: callbacks.tableName }, orderId);

    // Assess
    expect(report.removed).toEqual({ order: true, idempotencyRecord: false, callbackItem: false });
    expect(await itemsOf(orderId)).toEqual([]);
    const { Item: kept } = await client.send(
      new GetCommand({ TableName: ordersTable, Key: OrdersTable.idempotencyKey(hash) }),
    );
    expect(kept?.orderId).toBe("another");
  });
});
