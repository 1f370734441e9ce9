/**
 * The real order saga (packages/core/src/orders/workflow.asl.json) on the local endpoint, driven by the
 * real SFNClient, with the real Saga steps behind its Task states: every path publishes the statuses
 * the shop expects, in order, and ends the way Step Functions would.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Saga from "@awsomepets/core/orders/saga";
import { BUS, cleanupList, ISO_MS, orderInput, startSaga, testOrderStore } from "../support/workflow";

const cleanups = cleanupList();
afterEach(() => cleanups.run());

type Path = [
  path: string,
  overrides: Parameters<typeof orderInput>[0],
  statuses: Array<Record<string, unknown>>,
  status: string,
];

const paths: Path[] = [
  [
    "success",
    {},
    [
      { status: "reserved" },
      { status: "paid", amountPaid: Catalogue.findPet("DOG-LAB")!.price },
      { status: "completed" },
    ],
    "SUCCEEDED",
  ],
  [
    "sold out",
    { basket: [{ sku: "SOLD-OUT", quantity: 1 }] },
    [{ status: "cancelled", reason: "Out of stock: SOLD-OUT" }],
    "SUCCEEDED",
  ],
  [
    "card declined",
    { paymentDetail: { cardToken: "tok_declined" } },
    [
      { status: "reserved" },
      { status: "released", reason: "The card was declined" },
      { status: "cancelled", reason: "The card was declined" },
    ],
    "SUCCEEDED",
  ],
  [
    "undeliverable",
    { shippingAddress: { name: "Ana", line1: "1 Main St", city: "Nowhere", postalCode: "0", country: "XX" } },
    [
      { status: "reserved" },
      { status: "paid", amountPaid: 450 },
      { status: "refunded", reason: "We cannot deliver to XX" },
      { status: "released", reason: "We cannot deliver to XX" },
      { status: "cancelled", reason: "We cannot deliver to XX" },
    ],
    "SUCCEEDED",
  ],
];

describe("the order saga on the local Step Functions endpoint", () => {
  it.each(paths)(
    "%s: publishes the expected statuses and ends as Step Functions would",
    async (path, overrides, expected, expectedStatus) => {
      // Prepare
      const { client, endpoint, published, stateMachineArn, orders } = await startSaga(cleanups);
      const input = orderInput(overrides);

      // Act
      const started = await client.send(
        new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
      );
      await endpoint.idle();
      const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));

      // Assess: each status is one PutEvents entry on the bus, stamped with the state's entry time.
      const entries = published.map((parameters) => {
        expect(parameters.Entries).toHaveLength(1);
        return parameters.Entries[0]!;
      });
      for (const entry of entries)
        expect(entry).toMatchObject({
          EventBusName: BUS,
          Source: "awsomepets.orders",
          DetailType: "Order Status Changed",
        });
      const details = entries.map((entry) => entry.Detail);
      expect(details.map(({ occurredAt, ...rest }) => rest)).toEqual(
        expected.map((status) => ({ orderId: input.orderId, ...status })),
      );
      const stamps = details.map((detail) => detail.occurredAt as string);
      for (const stamp of stamps) expect(stamp).toMatch(ISO_MS);
      for (let i = 1; i < stamps.length; i++)
        expect(stamps[i]! > stamps[i - 1]!, `${stamps[i]} after ${stamps[i - 1]}`).toBe(true);

      expect(started.executionArn).toBe(`${stateMachineArn.replace(":stateMachine:", ":execution:")}:${input.orderId}`);
      expect(described.status).toBe(expectedStatus);
      expect(described.startDate).toBeInstanceOf(Date);
      expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
      expect(JSON.parse(described.input!)).toEqual(input);
      // A cancelled order is a business outcome, not a failed execution (that one alarms an operator).
      expect(described.error).toBeUndefined();
      const output = JSON.parse(described.output!);
      if (path === "success") {
        expect(output).toMatchObject({
          orderId: input.orderId,
          payment: { amountPaid: 450 },
          shipment: { shipmentId: `shp-${input.orderId}` },
        });
        expect(output.compensation).toBeUndefined();
      } else {
        expect(output).toMatchObject({ orderId: input.orderId, compensation: { reason: expected.at(-1)!.reason } });
      }
      expect(output.unpublished).toBeUndefined();
      // The card token is gone from the order on every path: used by the payment step, or forgotten by CancelOrder.
      const { Item } = await orders.client.send(
        new GetCommand({ TableName: orders.tableName, Key: OrdersTable.orderKey(input.orderId) }),
      );
      expect(Item).toMatchObject({ orderId: input.orderId, basket: expect.any(Array) });
      expect(Item).not.toHaveProperty("cardToken");
      expect(Item?.payment?.outcome).toBe(
        { success: "paid", "sold out": undefined, "card declined": "declined", undeliverable: "paid" }[path],
      );
    },
  );

  it("hands Catch a failed step's error as Step Functions does for Lambda: Error is the errorType, Cause its JSON payload", async () => {
    // Prepare
    const { client, endpoint, taskInputs, stateMachineArn } = await startSaga(cleanups);
    const input = orderInput({ paymentDetail: { cardToken: "tok_declined" } });

    // Act
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );
    await endpoint.idle();

    // Assess: the compensation received `$.error` in the shape Saga.reasonOf parses.
    const [release] = taskInputs.ReleaseInventory as Array<{ error: { Error: string; Cause: string } }>;
    expect(release!.error.Error).toBe("PaymentDeclined");
    expect(JSON.parse(release!.error.Cause)).toEqual({
      errorType: "PaymentDeclined",
      errorMessage: "The card was declined",
      trace: [],
    });
  });

  it("records the execution's history, from ExecutionStarted to ExecutionSucceeded", async () => {
    // Prepare
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups);
    const input = orderInput({ basket: [{ sku: "SOLD-OUT", quantity: 1 }] });
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );
    await endpoint.idle();

    // Act
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    const summary = events.map((event) => [event.type, event.stateEnteredEventDetails?.name ?? ""].join(" ").trim());
    expect(summary).toEqual([
      "ExecutionStarted",
      "TaskStateEntered ReserveInventory",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "TaskStateExited",
      "TaskStateEntered CancelOrder",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "TaskStateEntered PublishCancelled",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ChoiceStateEntered ConfirmCancelled",
      "ChoiceStateExited",
      "SucceedStateEntered OrderCancelled",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => i + 1));
    expect(JSON.parse(events.at(-1)!.executionSucceededEventDetails!.output!)).toMatchObject({
      compensation: { reason: "Out of stock: SOLD-OUT" },
    });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(events.find((event) => event.type === "TaskScheduled")?.taskScheduledEventDetails).toMatchObject({
      resourceType: "events",
      resource: "putEvents",
      region: "us-east-1",
    });
    expect(
      events.find((event) => event.type === "LambdaFunctionScheduled")?.lambdaFunctionScheduledEventDetails?.resource,
    ).toMatch(/^arn:aws:lambda:/);
  });

  it("leaves out inputs and outputs with includeExecutionData=false, and with includedData=METADATA_ONLY", async () => {
    // Prepare
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups);
    const input = orderInput();
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );
    await endpoint.idle();

    // Act
    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    const described = await client.send(new DescribeExecutionCommand({ executionArn, includedData: "METADATA_ONLY" }));

    // Assess
    expect(events.length).toBeGreaterThan(10);
    expect(JSON.stringify(events)).not.toMatch(/"(input|output|parameters)"/);
    expect(described).toMatchObject({
      status: "SUCCEEDED",
      inputDetails: { included: false },
      outputDetails: { included: false },
    });
    expect(described.input).toBeUndefined();
    expect(described.output).toBeUndefined();
  });
});

describe("the steps read the order from the order service's store", () => {
  it("ProcessPayment run again repeats the recorded outcome: the card, used once and removed, is not needed again", async () => {
    // Prepare
    const { store, client, tableName } = await testOrderStore(cleanups);
    const paid = orderInput({ orderId: "paid-twice" });
    const declined = orderInput({ orderId: "declined-twice", paymentDetail: { cardToken: "tok_declined" } });
    for (const input of [paid, declined]) {
      await store.createOrder({
        ...input,
        request: {
          basket: [{ sku: "DOG-LAB", quantity: 1 }],
          paymentDetail: { cardToken: input === paid ? "tok_visa" : "tok_declined" },
          shippingAddress: { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
        },
      });
    }

    // Act
    const first = await Saga.processPayment({ store }, paid);
    const again = await Saga.processPayment({ store }, paid);
    const declinedRuns = await Promise.allSettled([
      Saga.processPayment({ store }, declined),
      Saga.processPayment({ store }, declined),
    ]);

    // Assess
    expect(first).toEqual({ paymentId: `pay-${Saga.paymentIdempotencyKey("paid-twice")}`, amountPaid: 450 });
    expect(again).toEqual(first);
    for (const run of declinedRuns)
      expect(run).toMatchObject({
        status: "rejected",
        reason: { name: "PaymentDeclined", message: "The card was declined" },
      });
    for (const orderId of [paid.orderId, declined.orderId]) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: OrdersTable.orderKey(orderId) }));
      expect(Item, orderId).not.toHaveProperty("cardToken");
    }
  });

  it("a step of an order that is gone (erased, expired) fails as OrderNotFound, and CancelOrder writes no item back", async () => {
    // Prepare: the order's item was never stored, as after erase-order
    const { store, client, tableName } = await testOrderStore(cleanups);
    const input = { orderId: "erased", placedAt: "2026-11-26T10:00:00.000Z", amountCents: 45000 };

    // Act
    const reserve = await Saga.reserveInventory({ store }, input).catch((error: Error) => error);
    const cancelled = await Saga.cancelOrder({ store }, { ...input, error: { Error: "OrderNotFound", Cause: "{}" } });

    // Assess
    expect(reserve).toMatchObject({ name: "OrderNotFound" });
    expect(cancelled).toEqual({ reason: Saga.UNEXPECTED_FAILURE_REASON });
    expect(
      (await client.send(new GetCommand({ TableName: tableName, Key: OrdersTable.orderKey("erased") }))).Item,
    ).toBeUndefined();
  });
});
