/**
 * Every saga step is idempotent by order: an Express execution runs at least once, so any step may
 * run twice for one order, one after the other (a retry, a second execution) or at the same time
 * (two executions racing). Each step run twice gives one reservation, one charge, one refund and the
 * same order item as once. Real tables (dynalite, or DynamoDB Local), real SDK clients; the payment
 * provider is a stand-in that honours idempotency keys as a real one does and counts what it did.
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Saga from "@awsomepets/core/orders/saga";
import { OrderStore, type PaymentOutcome } from "@awsomepets/core/orders/store";
import { testDocumentClient, testDynamoClient } from "@test-support/dynamodb";

const raw = testDynamoClient();
const client = testDocumentClient();
const tableName = `OrdersTbl-${randomUUID()}`;
const store = new OrderStore({ client, tableName });

/** A provider that keeps its first answer per key (as Stripe does) and counts requests and real charges. */
function keyedProvider() {
  const charges = new Map<string, PaymentOutcome>();
  const refunds = new Map<string, { refundId: string }>();
  const calls = { charge: 0, refund: 0 };
  const provider: Saga.PaymentProvider = {
    async charge(request) {
      calls.charge++;
      await new Promise((resolve) => setTimeout(resolve, 5)); // a provider takes time: two racing requests overlap
      if (!charges.has(request.idempotencyKey))
        charges.set(request.idempotencyKey, await Saga.WORKSHOP_PAYMENTS.charge(request));
      return charges.get(request.idempotencyKey)!;
    },
    async refund(request) {
      calls.refund++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      // It refunds the charge made with the charge's key, recorded by the order or not; none, nothing.
      if (charges.get(request.chargeIdempotencyKey)?.outcome !== "paid") return undefined;
      if (!refunds.has(request.idempotencyKey))
        refunds.set(request.idempotencyKey, { refundId: `ref-${request.idempotencyKey}` });
      return refunds.get(request.idempotencyKey)!;
    },
  };
  return { provider, charges, refunds, calls };
}

async function placed(overrides: { cardToken?: string; country?: string } = {}) {
  const orderId = randomUUID();
  const placedAt = new Date().toISOString();
  await store.createOrder({
    orderId,
    placedAt,
    amountCents: 129900,
    request: {
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      paymentDetail: { cardToken: overrides.cardToken ?? "tok_visa" },
      shippingAddress: {
        name: "Ana",
        line1: "1 Main St",
        city: "Lisbon",
        postalCode: "1000-001",
        country: overrides.country ?? "PT",
      },
    },
  });
  return { orderId, placedAt, amountCents: 129900 };
}

const item = async (orderId: string) =>
  (
    await client.send(
      new GetCommand({ TableName: tableName, Key: OrdersTable.orderKey(orderId), ConsistentRead: true }),
    )
  ).Item;

const twice = async <T>(mode: "in turn" | "at once", run: () => Promise<T>) =>
  mode === "at once" ? Promise.all([run(), run()]) : [await run(), await run()];

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.name, message: error.message }),
  );

beforeAll(async () => {
  await raw.send(new CreateTableCommand(OrdersTable.createTableInput(tableName)));
});
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

describe.each(["in turn", "at once"] as const)("each step run twice for one order (%s)", (mode) => {
  it("reserve: one reservation, the same answer", async () => {
    // Prepare
    const input = await placed();
    const deps = { store, now: () => new Date() };
    // Act
    const [first, second] = await twice(mode, () => Saga.reserveInventory(deps, input));
    // Assess
    expect(second).toEqual(first);
    expect(first).toEqual({ reservationId: `res-${input.orderId}` });
    const { reservation } = (await item(input.orderId))!;
    expect(reservation).toMatchObject({ reservationId: `res-${input.orderId}` });
    expect(reservation.releasedAt).toBeUndefined();
  });

  it("pay: one charge with the order's key, the same answer, the card token gone", async () => {
    // Prepare
    const input = await placed();
    const payments = keyedProvider();
    // Act
    const [first, second] = await twice(mode, () => Saga.processPayment({ store, payments: payments.provider }, input));
    // Assess
    expect(second).toEqual(first);
    expect(first).toEqual({ paymentId: `pay-order-${input.orderId}-charge`, amountPaid: 1299 });
    expect([...payments.charges.keys()]).toEqual([Saga.paymentIdempotencyKey(input.orderId)]);
    // In turn the second run finds the recorded payment and asks nothing; at once, both may ask with one key.
    expect(payments.calls.charge).toBeGreaterThanOrEqual(1);
    expect(payments.calls.charge).toBeLessThanOrEqual(mode === "in turn" ? 1 : 2);
    const stored = (await item(input.orderId))!;
    expect(stored.payment).toEqual({ outcome: "paid", paymentId: first!.paymentId, amountPaid: 1299 });
    expect(stored.cardToken).toBeUndefined();
  });

  it("pay with a declined card: declined both times, recorded once", async () => {
    // Prepare
    const input = await placed({ cardToken: Saga.DECLINED_CARD_TOKEN });
    const payments = keyedProvider();
    // Act
    const outcomes = await twice(mode, () =>
      settled(Saga.processPayment({ store, payments: payments.provider }, input)),
    );
    // Assess
    expect(outcomes).toEqual([0, 1].map(() => ({ error: "PaymentDeclined", message: "The card was declined" })));
    expect((await item(input.orderId))!.payment).toEqual({ outcome: "declined" });
    expect(payments.charges.size).toBe(1);
  });

  it("complete: the same shipment and the same outcome, completed once", async () => {
    // Prepare
    const input = await placed();
    const undeliverable = await placed({ country: Saga.UNDELIVERABLE_COUNTRY });
    const before = await item(input.orderId);
    // Act
    const shipped = await twice(mode, () => Saga.completeOrder({ store }, input));
    const refused = await twice(mode, () => settled(Saga.completeOrder({ store }, undeliverable)));
    // Assess
    expect(shipped).toEqual([{ shipmentId: `shp-${input.orderId}` }, { shipmentId: `shp-${input.orderId}` }]);
    expect(refused[0]).toMatchObject({ error: "DeliveryUnavailable" });
    expect(refused[1]).toEqual(refused[0]);
    const { completedAt, ...rest } = (await item(input.orderId))!;
    expect(typeof completedAt).toBe("string");
    expect(rest).toEqual(before);
    expect((await item(undeliverable.orderId))!.completedAt).toBeUndefined();
  });

  it("release: the reservation released once, the same reason", async () => {
    // Prepare
    const input = await placed();
    await Saga.reserveInventory({ store }, input);
    const error = { Error: "PaymentDeclined", Cause: JSON.stringify({ errorMessage: "The card was declined" }) };
    // Act
    const [first, second] = await twice(mode, () => Saga.releaseInventory({ store }, { ...input, error }));
    const releasedAt = (await item(input.orderId))!.reservation.releasedAt;
    const again = await Saga.releaseInventory({ store, now: () => new Date(Date.now() + 60_000) }, { ...input, error });
    // Assess
    expect([first, second, again]).toEqual([0, 1, 2].map(() => ({ reason: "The card was declined" })));
    expect(typeof releasedAt).toBe("string");
    expect((await item(input.orderId))!.reservation.releasedAt).toBe(releasedAt); // a later run moved nothing
  });

  it("refund: one refund with the order's refund key, the same answer", async () => {
    // Prepare
    const input = await placed({ country: Saga.UNDELIVERABLE_COUNTRY });
    const payments = keyedProvider();
    await Saga.processPayment({ store, payments: payments.provider }, input);
    const error = { Error: "DeliveryUnavailable", Cause: JSON.stringify({ errorMessage: "We cannot deliver to XX" }) };
    // Act
    const [first, second] = await twice(mode, () =>
      Saga.processRefund({ store, payments: payments.provider }, { ...input, error }),
    );
    // Assess
    expect(second).toEqual(first);
    expect(first).toEqual({ reason: "We cannot deliver to XX", refundId: `ref-order-${input.orderId}-refund` });
    expect([...payments.refunds.keys()]).toEqual([Saga.refundIdempotencyKey(input.orderId)]);
    if (mode === "in turn") expect(payments.calls.refund).toBe(1);
    expect((await item(input.orderId))!.refund).toMatchObject({ refundId: first!.refundId, amountRefunded: 1299 });
  });

  it("refund of an order that was never paid: nothing refunded, the same reason", async () => {
    // Prepare
    const input = await placed({ cardToken: Saga.DECLINED_CARD_TOKEN });
    const payments = keyedProvider();
    // Act
    const results = await twice(mode, () => Saga.processRefund({ store, payments: payments.provider }, input));
    // Assess
    expect(results).toEqual([0, 1].map(() => ({ reason: Saga.UNEXPECTED_FAILURE_REASON })));
    expect(payments.refunds.size).toBe(0);
    expect((await item(input.orderId))!.refund).toBeUndefined();
  });

  it("cancel: the card token forgotten, the same reason, the order kept", async () => {
    // Prepare
    const input = await placed();
    const error = { Error: "InventoryUnavailable", Cause: JSON.stringify({ errorMessage: "Out of stock: SOLD-OUT" }) };
    // Act
    const results = await twice(mode, () => Saga.cancelOrder({ store }, { ...input, error }));
    // Assess
    expect(results).toEqual([0, 1].map(() => ({ reason: "Out of stock: SOLD-OUT" })));
    const stored = (await item(input.orderId))!;
    expect(stored.cardToken).toBeUndefined();
    expect(stored.orderId).toBe(input.orderId);
  });
});

describe("a step whose order is gone (erased mid-way)", () => {
  it("reserve fails as OrderNotFound; release and refund change nothing and write nothing back", async () => {
    // Prepare
    const input = await placed();
    await store.eraseOrder(input.orderId);
    // Act
    const reserve = await settled(Saga.reserveInventory({ store }, input));
    const release = await Saga.releaseInventory({ store }, input);
    const refund = await Saga.processRefund({ store }, input);
    // Assess
    expect(reserve).toMatchObject({ error: "OrderNotFound" });
    expect([release, refund]).toEqual([
      { reason: Saga.UNEXPECTED_FAILURE_REASON },
      { reason: Saga.UNEXPECTED_FAILURE_REASON },
    ]);
    expect(await item(input.orderId)).toBeUndefined();
  });
});

/**
 * Two executions of one order taking opposite branches: one's step fails for a reason that is not
 * the order's (a timeout, a throttle), so it compensates, while the other's succeeds. The order ends
 * one way only (completedAt or cancelledAt, never both), and nothing is left paid but released.
 */
describe("two executions of one order taking opposite branches", () => {
  const timeout = { Error: "States.Timeout", Cause: "" };
  const outcomeOf = async (orderId: string) => {
    const stored = (await item(orderId))!;
    return {
      completed: stored.completedAt !== undefined,
      cancelled: stored.cancelledAt !== undefined,
      refunded: stored.refund !== undefined,
      released: stored.reservation?.releasedAt !== undefined,
    };
  };

  it("A compensates before B completes: B's completion is refused, B refunds, nothing is reserved again", async () => {
    // Prepare: both reserved, B paid; A's payment step timed out and it compensates
    const input = await placed();
    const payments = keyedProvider();
    const deps = { store, payments: payments.provider };
    await Saga.reserveInventory(deps, input);
    await Saga.reserveInventory(deps, input);
    await Saga.processPayment(deps, input);
    // Act
    await Saga.processRefund(deps, { ...input, error: timeout });
    await Saga.releaseInventory(deps, { ...input, error: timeout });
    await Saga.cancelOrder(deps, { ...input, error: timeout });
    const complete = await settled(Saga.completeOrder(deps, input));
    const refundB = await Saga.processRefund(deps, { ...input, error: { Error: "OrderAlreadyCancelled", Cause: "" } });
    const reserveAgain = await settled(Saga.reserveInventory(deps, input));
    const later = keyedProvider();
    await Saga.processPayment({ store, payments: later.provider }, input);
    // Assess
    expect(complete).toMatchObject({ error: "OrderAlreadyCancelled" });
    expect(refundB).toMatchObject({ refundId: `ref-order-${input.orderId}-refund` });
    expect(reserveAgain).toEqual({ error: "InventoryUnavailable", message: Saga.CANCELLED_REASON });
    expect(later.calls.charge).toBe(0); // the recorded payment stands: the card is not asked again
    expect(await outcomeOf(input.orderId)).toEqual({
      completed: false,
      cancelled: true,
      refunded: true,
      released: true,
    });
  });

  it("B completes before A compensates: A's compensation steps fail as OrderAlreadyCompleted and change nothing", async () => {
    // Prepare: one reservation and payment, B completed
    const input = await placed();
    const payments = keyedProvider();
    const deps = { store, payments: payments.provider };
    await Saga.reserveInventory(deps, input);
    await Saga.processPayment(deps, input);
    await Saga.completeOrder(deps, input);
    const before = await item(input.orderId);
    // Act
    const steps = [Saga.processRefund, Saga.releaseInventory, Saga.cancelOrder];
    const results = await Promise.all(steps.map((step) => settled(step(deps, { ...input, error: timeout }))));
    // Assess
    expect(results.map((result) => (result as { error?: string }).error)).toEqual([
      "OrderAlreadyCompleted",
      "OrderAlreadyCompleted",
      "OrderAlreadyCompleted",
    ]);
    expect(payments.refunds.size).toBe(0);
    expect(await item(input.orderId)).toEqual(before);
    expect(await outcomeOf(input.orderId)).toEqual({
      completed: true,
      cancelled: false,
      refunded: false,
      released: false,
    });
  });

  it.each(["in turn", "at once"] as const)(
    "completion and compensation raced (%s): one outcome, never both",
    async (mode) => {
      for (let round = 0; round < 5; round++) {
        // Prepare
        const input = await placed();
        const payments = keyedProvider();
        const deps = { store, payments: payments.provider };
        await Saga.reserveInventory(deps, input);
        await Saga.processPayment(deps, input);
        // Act
        const complete = () => settled(Saga.completeOrder(deps, input));
        const compensate = () => settled(Saga.releaseInventory(deps, { ...input, error: timeout }));
        await (mode === "at once" ? Promise.all([complete(), compensate()]) : complete().then(compensate));
        // Assess
        const outcome = await outcomeOf(input.orderId);
        expect(outcome.completed).not.toBe(outcome.cancelled);
        expect(outcome.released).toBe(outcome.cancelled);
      }
    },
  );
});

describe("a charge the order never recorded", () => {
  it("is refunded by the charge's key when the payment step failed after the provider charged", async () => {
    // Prepare: the provider charged, then the step timed out before recording it
    const input = await placed();
    const payments = keyedProvider();
    await payments.provider.charge({
      idempotencyKey: Saga.paymentIdempotencyKey(input.orderId),
      cardToken: "tok_visa",
      amountCents: input.amountCents,
    });
    // Act
    const refund = await Saga.processRefund(
      { store, payments: payments.provider },
      { ...input, error: { Error: "States.Timeout", Cause: "" } },
    );
    // Assess
    expect(refund).toEqual({ reason: Saga.UNEXPECTED_FAILURE_REASON, refundId: `ref-order-${input.orderId}-refund` });
    expect((await item(input.orderId))!.refund).toMatchObject({ amountRefunded: 1299 });
  });

  it("is refunded by the payment step itself when the order was cancelled while the provider charged", async () => {
    // Prepare: a provider during whose charge another execution cancels the order
    const input = await placed();
    const payments = keyedProvider();
    const racing: Saga.PaymentProvider = {
      charge: async (request) => {
        await Saga.cancelOrder({ store }, { ...input, error: { Error: "States.Timeout", Cause: "" } });
        return payments.provider.charge(request);
      },
      refund: payments.provider.refund,
    };
    // Act
    const pay = await settled(Saga.processPayment({ store, payments: racing }, input));
    // Assess
    expect(pay).toMatchObject({ error: "OrderAlreadyCancelled" });
    expect([...payments.refunds.keys()]).toEqual([Saga.refundIdempotencyKey(input.orderId)]);
    const stored = (await item(input.orderId))!;
    expect(stored.payment).toBeUndefined();
    expect(stored.refund).toMatchObject({ amountRefunded: 1299 });
  });
});

describe("a payment provider's failure", () => {
  it("reaches the workflow without the provider's text, which may quote the card token", async () => {
    // Prepare
    const input = await placed({ cardToken: "tok_secret_4242" });
    const leaky: Saga.PaymentProvider = {
      charge: async (request) =>
        Promise.reject(
          Object.assign(new Error(`card ${request.cardToken} could not be charged`), { name: "CardError" }),
        ),
      refund: async () =>
        Promise.reject(Object.assign(new Error("refund of tok_secret_4242 failed"), { name: "ApiError" })),
    };
    // Act
    const pay = await settled(Saga.processPayment({ store, payments: leaky }, input));
    const refund = await settled(
      Saga.processRefund({ store, payments: leaky }, { ...input, error: { Error: "PaymentProviderError", Cause: "" } }),
    );
    // Assess
    expect(pay).toEqual({ error: "PaymentProviderError", message: "The payment provider failed (CardError)" });
    expect(refund).toEqual({ error: "PaymentProviderError", message: "The payment provider failed (ApiError)" });
  });
});
