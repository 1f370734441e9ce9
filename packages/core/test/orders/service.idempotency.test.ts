/**
 * `POST /orders` retried with the same Idempotency-Key and body: the same order and the callback token
 * first issued, byte for byte, however much later the retry comes; never a fresh token. OrdersTbl is
 * real (dynalite); Step Functions and EventBridge are stand-ins that accept every call.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Orders from "@awsomepets/core/orders/service";
import * as OrdersTable from "@awsomepets/core/orders/table";
import { OrderStore } from "@awsomepets/core/orders/store";
import { testDocumentClient, testDynamoClient } from "@test-support/dynamodb";

const tableName = `OrdersTbl-${randomUUID()}`;
const secret = "s".repeat(40);
let clock = new Date("2026-11-26T10:00:00.000Z");
const accepted = { send: async () => ({ Entries: [{ EventId: "1" }], FailedEntryCount: 0, executionArn: "arn" }) };

const deps = (): Orders.OrderDeps => ({
  store: new OrderStore({ client: testDocumentClient(), tableName, now: () => clock }),
  sfn: accepted as unknown as SFNClient,
  eventBridge: accepted as unknown as EventBridgeClient,
  stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:test",
  eventBusName: "bus",
  websocketUrl: "wss://ws.example.com/dev",
  tokenKeys: { current: secret },
  stage: "dev",
  now: () => clock,
});
const request = (country = "PT") => ({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country },
});
const tokenOf = (result: Orders.PlaceResult) =>
  result.kind === "placed" ? new URL(result.clientCallbackUrl).searchParams.get("token")! : undefined;

beforeAll(async () => {
  await testDynamoClient().send(new CreateTableCommand(OrdersTable.createTableInput(tableName)));
});
afterAll(async () => {
  await testDynamoClient().send(new DeleteTableCommand({ TableName: tableName }));
});

describe("placeOrder with an Idempotency-Key", () => {
  it("answers a retry an hour later with the same order and the token first issued, not a fresh one", async () => {
    // Prepare
    const key = randomUUID();
    clock = new Date("2026-11-26T10:00:00.000Z");
    const first = await Orders.placeOrder(deps(), { request: request(), idempotencyKey: key });
    // Act
    clock = new Date("2026-11-26T11:00:00.000Z");
    const retry = await Orders.placeOrder(deps(), { request: request(), idempotencyKey: key });
    // Assess: same answer; the token's expiry is the first one's, not extended by the retry
    expect(retry).toEqual(first);
    const verified = CallbackToken.verify({
      orderId: (first as { orderId: string }).orderId,
      stage: "dev",
      token: tokenOf(retry)!,
      keys: { current: secret },
      now: clock,
    });
    expect(verified).toEqual({
      ok: true,
      expiresAt: Date.parse("2026-11-26T10:00:00.000Z") / 1000 + CallbackToken.DEFAULT_TTL_SECONDS,
    });
  });

  it("hands a retry after the v2 deploy the legacy token stored before it, which still verifies until it expires", async () => {
    // Prepare: a claim as written before v2, its token `<expiresAt>.<HMAC("<orderId>.<expiresAt>")>`
    const key = randomUUID();
    clock = new Date("2026-11-26T10:00:00.000Z");
    const first = (await Orders.placeOrder(deps(), { request: request(), idempotencyKey: key })) as { orderId: string };
    const expiresAt = Date.parse("2026-11-26T10:00:00.000Z") / 1000 + CallbackToken.DEFAULT_TTL_SECONDS;
    const legacy = `${expiresAt}.${createHmac("sha256", secret).update(`${first.orderId}.${expiresAt}`).digest("base64url")}`;
    const keyHash = createHash("sha256").update(key).digest("hex");
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: OrdersTable.idempotencyKey(keyHash),
        UpdateExpression: "SET #t = :t",
        ExpressionAttributeNames: { "#t": "token" },
        ExpressionAttributeValues: { ":t": legacy },
      }),
    );
    // Act
    clock = new Date("2026-11-26T11:00:00.000Z");
    const retry = await Orders.placeOrder(deps(), { request: request(), idempotencyKey: key });
    // Assess
    expect(tokenOf(retry)).toBe(legacy);
    const verify = (now: Date) =>
      CallbackToken.verify({ orderId: first.orderId, stage: "dev", token: legacy, keys: { current: secret }, now });
    expect(verify(clock)).toEqual({ ok: true, expiresAt });
    expect(verify(new Date(expiresAt * 1000))).toEqual({ ok: false, reason: "expired" });
  });

  it("gives concurrent duplicates one order and one token", async () => {
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => Orders.placeOrder(deps(), { request: request(), idempotencyKey: key })),
    );
    expect(new Set(results.map(tokenOf)).size).toBe(1);
    expect(new Set(results.map((r) => (r as { orderId: string }).orderId)).size).toBe(1);
  });

  it("refuses the key with another body, and issues a new order and token without a key", async () => {
    const key = randomUUID();
    const first = await Orders.placeOrder(deps(), { request: request(), idempotencyKey: key });
    expect(await Orders.placeOrder(deps(), { request: request("DE"), idempotencyKey: key })).toEqual({
      kind: "idempotency_conflict",
    });
    const unkeyed = await Orders.placeOrder(deps(), { request: request() });
    expect(tokenOf(unkeyed)).not.toBe(tokenOf(first));
  });
});

describe("placeOrder retried once its workflow has started", () => {
  it("starts no second execution (an Express name is not unique); a retry after a failed start starts one", async () => {
    // Prepare: a Step Functions stand-in that counts starts, the first attempt of the second order failing
    const started: string[] = [];
    let failNext = false;
    const sfn = {
      send: async (command: { input: { name: string } }) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        }
        started.push(command.input.name);
        return { executionArn: "arn" };
      },
    };
    const withSfn = (): Orders.OrderDeps => ({ ...deps(), sfn: sfn as unknown as SFNClient });
    const key = randomUUID();
    const otherKey = randomUUID();
    // Act
    const first = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    failNext = true;
    const failed = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: otherKey }).catch(
      (error: Error) => error.name,
    );
    const retried = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: otherKey });
    await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: otherKey });
    // Assess
    expect(failed).toBe("ThrottlingException");
    expect(started).toEqual([(first as { orderId: string }).orderId, (retried as { orderId: string }).orderId]);
  });
});

describe("placeOrder retried while its workflow is being started", () => {
  const countingSfn = () => {
    const started: string[] = [];
    const sfn = {
      send: async (command: { input: { name: string } }) => {
        await new Promise((resolve) => setTimeout(resolve, 400)); // a slow StartExecution: the retries arrive meanwhile
        started.push(command.input.name);
        return { executionArn: "arn" };
      },
    };
    return { started, deps: (): Orders.OrderDeps => ({ ...deps(), sfn: sfn as unknown as SFNClient }) };
  };

  it("starts one execution for ten concurrent requests with one key, and all answer the same order", async () => {
    // Prepare
    clock = new Date("2026-11-26T10:00:00.000Z");
    const { started, deps: withSfn } = countingSfn();
    const key = randomUUID();
    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key })),
    );
    // Assess
    const orderIds = new Set(results.map((r) => (r as { orderId: string }).orderId));
    expect(orderIds.size).toBe(1);
    expect(started).toEqual([...orderIds]);
  });

  it("lets a retry start the workflow only once the claim of a request that died has run out", async () => {
    // Prepare: the first request stored the order (and its claim) and died before StartExecution
    clock = new Date("2026-11-26T10:00:00.000Z");
    const { started, deps: withSfn } = countingSfn();
    const key = randomUUID();
    const dying = {
      ...withSfn(),
      eventBridge: { send: async () => Promise.reject(new Error("died")) } as unknown as EventBridgeClient,
    };
    await Orders.placeOrder(dying, { request: request(), idempotencyKey: key }).catch(() => undefined);
    // Act
    clock = new Date(clock.getTime() + 5_000);
    const early = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    const startedEarly = started.length;
    clock = new Date(clock.getTime() + OrdersTable.WORKFLOW_START_LEASE_SECONDS * 1000);
    const late = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    // Assess
    expect(startedEarly).toBe(0);
    expect(late).toEqual(early);
    expect(started).toEqual([(late as { orderId: string }).orderId]);
  });

  it("starts nothing for an order placed before start claims existed (its request started it)", async () => {
    // Prepare: an order as the previous version stored it, with neither claim nor note
    clock = new Date("2026-11-26T10:00:00.000Z");
    const { started, deps: withSfn } = countingSfn();
    const key = randomUUID();
    const first = (await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key })) as {
      orderId: string;
    };
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: OrdersTable.orderKey(first.orderId),
        UpdateExpression: "REMOVE workflowStartingAt, workflowStartedAt",
      }),
    );
    started.length = 0;
    // Act
    clock = new Date(clock.getTime() + 3_600_000);
    const retry = await Orders.placeOrder(withSfn(), { request: request(), idempotencyKey: key });
    // Assess
    expect(retry).toEqual(first);
    expect(started).toEqual([]);
  });
});
