/**
 * The order service end to end through `npm start`'s runtime: `POST /orders` → the saga on the local
 * Step Functions endpoint → statuses through EventBridge → the browser's socket, for every path.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as OrdersTable from "@awsomepets/core/orders/table";
import { OrderTimeline } from "@awsomepets/client";
import { names } from "../../src/runtime/start-runtime";
import { startTestRuntime } from "@test-support/local-runtime";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let sfn: SFNClient;
let dynamo: DynamoDBDocumentClient;
beforeAll(async () => {
  // Standard: these tests read executions back (DescribeExecution, GetExecutionHistory, ListExecutions),
  // which Express has not; the Express runs are in workflow.express.test.ts.
  runtime = await startTestRuntime({ workflowType: "STANDARD" });
  const local = { region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } };
  sfn = new SFNClient({ endpoint: runtime.state.endpoints.stepfunctions, ...local });
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.state.endpoints.dynamodb, ...local }));
});
afterAll(async () => {
  sfn.destroy();
  dynamo.destroy();
  await runtime.close();
});

/** The order's item in the runtime's OrdersTbl, as stored (not through the store's reader). */
const storedOrder = async (orderId: string) =>
  (await dynamo.send(new GetCommand({ TableName: names("test").ordersTable, Key: OrdersTable.orderKey(orderId) })))
    .Item;
/** Every piece of the request that is personal: none may reach the workflow's input or history. */
const PERSONAL = ["Ana Silva", "Rua Augusta", "Lisboa", "1100-048", "tok_"];

const order = (overrides: { sku?: string; cardToken?: string; country?: string } = {}) => ({
  basket: [
    { sku: "DOG-LAB", quantity: 1 },
    { sku: "FSH-BET", quantity: 2 },
    ...(overrides.sku ? [{ sku: overrides.sku, quantity: 1 }] : []),
  ],
  paymentDetail: { cardToken: overrides.cardToken ?? "tok_visa" },
  shippingAddress: {
    name: "Ana Silva",
    line1: "1 Rua Augusta",
    city: "Lisboa",
    postalCode: "1100-048",
    country: overrides.country ?? "PT",
  },
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * A client following docs/protocol.md until it holds `count` statuses with no gap, then a moment
 * longer to catch anything extra. (A terminal status alone does not end the wait: EventBridge may
 * deliver an earlier status after it.)
 */
async function watch(clientCallbackUrl: string, orderId: string, count: number) {
  const timeline = new OrderTimeline(orderId);
  const socket = new WebSocket(clientCallbackUrl);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Not terminal: ${JSON.stringify(timeline.statuses)}`)), 15_000);
    socket.on("open", () => socket.send(JSON.stringify(timeline.syncRequest())));
    socket.on("message", (data) => {
      const update = timeline.apply(JSON.parse(String(data)) as Protocol.ServerFrame);
      if (update.syncNeeded) socket.send(JSON.stringify(timeline.syncRequest()));
      if (timeline.statuses.length >= count && !timeline.hasGap) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on("error", reject);
  });
  await runtime.stepFunctions.idle();
  await runtime.events.idle();
  socket.close();
  return timeline;
}

describe("the four saga paths", () => {
  it.each([
    ["success", {}, ["placed", "reserved", "paid", "completed"], undefined],
    ["sold out", { sku: "SOLD-OUT" }, ["placed", "cancelled"], "Out of stock: SOLD-OUT"],
    [
      "declined card",
      { cardToken: "tok_declined" },
      ["placed", "reserved", "released", "cancelled"],
      "The card was declined",
    ],
    [
      "undeliverable address",
      { country: "XX" },
      ["placed", "reserved", "paid", "refunded", "released", "cancelled"],
      "We cannot deliver to XX",
    ],
  ] as Array<[string, object, string[], string | undefined]>)(
    "%s: the client sees exactly its statuses, in order, and GET agrees",
    async (_path, overrides, expected, reason) => {
      // Act
      const placed = await post(order(overrides));
      const timeline = await watch(placed.body.clientCallbackUrl, placed.body.orderId, expected.length);
      // Assess
      expect(placed.status).toBe(202);
      expect(placed.body).toMatchObject({ status: "placed", orderId: expect.any(String) });
      expect(timeline.statuses.map((s) => s.status)).toEqual(expected);
      expect(timeline.statuses.map((s) => s.seq).sort((a, b) => a - b)).toEqual(expected.map((_, i) => i + 1));
      if (reason) expect(timeline.terminal?.reason).toBe(reason);
      if (expected.some((status) => status === "paid"))
        expect(timeline.statuses.find((s) => s.status === "paid")?.amountPaid).toBe(475);

      await runtime.events.idle();
      const token = new URL(placed.body.clientCallbackUrl).searchParams.get("token");
      const view = await fetch(`${runtime.state.endpoints.http}/orders/${placed.body.orderId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await view.json()) as any;
      expect(view.status).toBe(200);
      expect(body.status).toBe(expected.at(-1));
      expect(body.history.map((h: any) => h.status)).toEqual(expected);
      // Nothing personal for a link holder; the card token is gone from the order once the order has ended.
      expect(Object.keys(body).sort()).toEqual([
        "amount",
        "basket",
        "history",
        "orderId",
        "placedAt",
        "status",
        "terminal",
      ]);
      const item = await storedOrder(placed.body.orderId);
      expect(item).toMatchObject({ shippingAddress: { name: "Ana Silva" }, expiresAt: expect.any(Number) });
      expect(item).not.toHaveProperty("cardToken");

      // The workflow's input, and so its whole history, holds nothing personal: only the id, when and how much.
      const executionArn = `${runtime.stepFunctions.stateMachineArn(names("test", "STANDARD").stateMachineName).replace(":stateMachine:", ":execution:")}:${placed.body.orderId}`;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(JSON.parse(described.input!)).toEqual({
        orderId: placed.body.orderId,
        placedAt: body.placedAt,
        amountCents: Catalogue.priceCents(order(overrides).basket),
      });
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      const history = JSON.stringify(events);
      expect(events.length).toBeGreaterThan(expected.length); // the history was read, not an empty page
      expect(history).toContain(placed.body.orderId);
      for (const text of PERSONAL) expect(history, text).not.toContain(text);
    },
  );
});

describe("order API", () => {
  it("gives a client that connects after the workflow finished the whole history on sync", async () => {
    // Prepare
    const placed = await post(order());
    await runtime.stepFunctions.idle();
    await runtime.events.idle();
    // Act
    const timeline = await watch(placed.body.clientCallbackUrl, placed.body.orderId, 4);
    // Assess
    expect(timeline.statuses.map((s) => s.status)).toEqual(["placed", "reserved", "paid", "completed"]);
    expect(timeline.duplicatesDropped).toBe(0);
  });

  it("answers a POST retried with the same Idempotency-Key with the same order, starting nothing new", async () => {
    // Prepare
    const key = `key-${Date.now()}`;
    // Act
    const first = await post(order(), { "idempotency-key": key });
    const second = await post(order(), { "idempotency-key": key });
    const misuse = await post(order({ country: "DE" }), { "idempotency-key": key });
    await runtime.stepFunctions.idle();
    // Assess
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(misuse.status).toBe(422);
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: runtime.stepFunctions.stateMachineArn(names("test", "STANDARD").stateMachineName),
      }),
    );
    expect(executions.filter((e) => e.name === first.body.orderId)).toHaveLength(1);
  });

  it("refuses invalid orders with the field errors", async () => {
    const invalid = await post({
      ...order(),
      basket: [{ sku: "NOPE", quantity: 0 }],
      shippingAddress: { ...order().shippingAddress, country: "Portugal" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: any) => e.path).sort()).toEqual([
      "basket.0.quantity",
      "basket.0.sku",
      "shippingAddress.country",
    ]);
    expect((await post("{not json")).status).toBe(400);
    expect((await post(order(), { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(JSON.stringify({ ...order(), pad: "x".repeat(70_000) }))).status).toBe(413);
    // Over the HTTP API's own 10 MB payload limit: refused by the API before any function runs.
    expect(await post("x".repeat(10 * 1024 * 1024 + 1))).toEqual({
      status: 413,
      body: { message: "Request Entity Too Large" },
    });
  });

  it("serves the catalogue, and GET /orders/{id} only with the order's token", async () => {
    const catalogue = await (await fetch(`${runtime.state.endpoints.http}/catalogue`)).json();
    expect((catalogue as any[]).map((p) => p.sku)).toContain("SOLD-OUT");
    const placed = await post(order());
    const other = await post(order());
    const otherToken = new URL(other.body.clientCallbackUrl).searchParams.get("token");
    const ownToken = new URL(placed.body.clientCallbackUrl).searchParams.get("token");
    const url = `${runtime.state.endpoints.http}/orders/${placed.body.orderId}`;
    const forbidden = await fetch(url, { headers: { authorization: `Bearer ${otherToken}` } });
    expect(forbidden.status).toBe(403);
    const missing = await fetch(url);
    expect(missing.status).toBe(403);
    // The token is taken from the Authorization header only: in the query it is not even read.
    const inQuery = await fetch(`${url}?token=${ownToken}`);
    expect([inQuery.status, await inQuery.json()]).toEqual([403, { message: "Forbidden: token is missing" }]);
    expect((await fetch(url, { headers: { authorization: `Bearer ${ownToken}` } })).status).toBe(200);
  });
});
