/**
 * The real workflow and steps when a step fails for a reason that is not the order's (a timeout, a
 * throttle past its retries): a payment that may have been charged is refunded before the release,
 * and an execution whose compensation finds the order completed by another execution of it (Express
 * runs at least once) ends without compensating or publishing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import * as OrdersTable from "@awsomepets/core/orders/table";
import { cleanupList, orderInput, startScriptedSaga } from "../support/workflow";

const cleanups = cleanupList();
let saga: Awaited<ReturnType<typeof startScriptedSaga>>;
beforeAll(async () => {
  saga = await startScriptedSaga(cleanups);
});
afterAll(() => cleanups.run());

const timedOut = (state: "ProcessPayment" | "CompleteOrder") => ({
  failStep: { state, name: "Sandbox.Timedout", message: "Task timed out after 30.00 seconds" },
});
const item = async (orderId: string) =>
  (
    await saga.orders.client.send(
      new GetCommand({ TableName: saga.orders.tableName, Key: OrdersTable.orderKey(orderId), ConsistentRead: true }),
    )
  ).Item!;

describe("a step failing for a reason that is not the order's", () => {
  it("ProcessPayment timed out: the refund is asked first (nothing was charged, so none is published), then release and cancel", async () => {
    // Act
    const input = orderInput();
    const result = await saga.run(input, timedOut("ProcessPayment"));
    // Assess
    expect(result.ran).toEqual([
      "ReserveInventory",
      "PublishReserved",
      "ProcessPayment",
      "ProcessRefund",
      "ReleaseInventory",
      "PublishReleased",
      "CancelOrder",
      "PublishCancelled",
    ]);
    expect(result.details.map((detail) => detail.status)).toEqual(["reserved", "released", "cancelled"]);
    expect(result.described.status).toBe("SUCCEEDED");
    expect(await item(input.orderId)).toMatchObject({ cancelledAt: expect.any(String) });
  });

  it("CompleteOrder timed out in an execution whose order another execution completed: it ends without compensating or publishing its end", async () => {
    // Prepare: the order as stored by POST /orders, already completed by another execution
    const input = orderInput();
    await saga.orders.store.createOrder({
      ...input,
      request: {
        basket: [{ sku: "DOG-LAB", quantity: 1 }],
        paymentDetail: { cardToken: "tok_visa" },
        shippingAddress: { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
      },
    });
    expect(await saga.orders.store.settleOutcome(input.orderId, "completed", new Date().toISOString())).toBe("settled");
    // Act
    const result = await saga.run(input, timedOut("CompleteOrder"));
    // Assess
    expect(result.ran).toEqual([
      "ReserveInventory",
      "PublishReserved",
      "ProcessPayment",
      "PublishPaid",
      "CompleteOrder",
      "ProcessRefund",
    ]);
    expect(result.details.map((detail) => detail.status)).toEqual(["reserved", "paid"]);
    expect(result.described.status).toBe("SUCCEEDED");
    const stored = await item(input.orderId);
    expect(stored.cancelledAt).toBeUndefined();
    expect(stored.refund).toBeUndefined();
    expect(stored.reservation.releasedAt).toBeUndefined();
  });
});
