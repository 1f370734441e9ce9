/**
 * `OrdersTbl`'s projection of the status events (behind `GET /orders/{id}`): one write per event, the
 * first event of a status wins, and the current status is the furthest saga step reached — so neither
 * a duplicate nor a forged far-future date can move it.
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as OrdersTable from "@awsomepets/core/orders/table";
import { OrderStore } from "@awsomepets/core/orders/store";
import * as OrderStatus from "@awsomepets/core/status/event";
import { countingDocumentClient, testDynamoClient } from "@test-support/dynamodb";

const raw = testDynamoClient();
const tableName = `OrdersTbl-${randomUUID()}`;
const counting = countingDocumentClient();
const store = new OrderStore({ client: counting.client, tableName });

beforeAll(() => raw.send(new CreateTableCommand(OrdersTable.createTableInput(tableName))));
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

async function placed() {
  const orderId = randomUUID();
  await store.createOrder({
    orderId,
    placedAt: new Date().toISOString(), // the store's clock is the real one: a fixed date would expire
    request: {
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
    },
    amountCents: 45000,
  });
  return orderId;
}

const at = (s: string) => `2026-11-26T10:00:${s}.000Z`;

describe("OrderStore.applyStatus", () => {
  it("costs one write per event", async () => {
    const orderId = await placed();
    counting.reset();
    expect(await store.applyStatus({ orderId, status: "reserved", occurredAt: at("01") })).toBe(true);
    expect(counting.counts).toEqual({ UpdateItem: 1 });
  });

  it("keeps the first event of a status: a duplicate's fields never overwrite", async () => {
    const orderId = await placed();
    await store.applyStatus({ orderId, status: "paid", occurredAt: at("02"), amountPaid: 450 });
    await store.applyStatus({ orderId, status: "paid", occurredAt: at("09"), amountPaid: 1 });
    expect((await store.getOrder(orderId))?.statuses.paid).toEqual({
      status: "paid",
      occurredAt: at("02"),
      amountPaid: 450,
    });
  });

  it("is not pinned by a forged far-future status: the furthest saga step wins, in any arrival order", async () => {
    // Prepare
    const orderId = await placed();
    const events: OrderStatus.StatusRecord[] = [
      { orderId, status: "completed", occurredAt: at("03") },
      { orderId, status: "reserved", occurredAt: "2999-01-01T00:00:00.000Z" },
      { orderId, status: "paid", occurredAt: at("02"), amountPaid: 450 },
    ];
    // Act
    for (const event of events) await store.applyStatus(event);
    // Assess
    expect((await store.getOrder(orderId))?.status).toBe("completed");
  });

  it("moves an order forward as its statuses arrive out of order", async () => {
    const orderId = await placed();
    await store.applyStatus({ orderId, status: "released", occurredAt: at("03") });
    expect((await store.getOrder(orderId))?.status).toBe("released");
    await store.applyStatus({ orderId, status: "reserved", occurredAt: at("01") });
    expect((await store.getOrder(orderId))?.status).toBe("released");
    await store.applyStatus({ orderId, status: "cancelled", occurredAt: at("04"), reason: "The card was declined" });
    expect((await store.getOrder(orderId))?.status).toBe("cancelled");
  });

  it("answers false for an order this stage does not hold, creating nothing", async () => {
    const orderId = randomUUID();
    expect(await store.applyStatus({ orderId, status: "placed", occurredAt: at("00") })).toBe(false);
    expect(await store.getOrder(orderId)).toBeUndefined();
  });
});

describe("OrderStatus.currentStatus", () => {
  it.each([
    [["placed", "reserved", "paid", "completed"], "completed"],
    [["placed", "reserved", "paid", "refunded", "released", "cancelled"], "cancelled"],
    [["placed", "reserved", "released", "cancelled"], "cancelled"],
    [["placed", "cancelled"], "cancelled"],
    [["paid", "placed", "reserved"], "paid"],
    [["refunded", "released", "paid"], "released"],
  ] as Array<[OrderStatus.Status[], OrderStatus.Status]>)("%j → %s", (statuses, expected) => {
    expect(OrderStatus.currentStatus(statuses)).toBe(expected);
    expect(OrderStatus.currentStatus([...statuses].reverse())).toBe(expected);
  });
});
