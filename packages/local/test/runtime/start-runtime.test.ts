/**
 * The whole local stack, end to end over real sockets and the real SDK clients: the same handler
 * modules that are deployed, behind the local gateway, EventBridge endpoint and dynalite.
 */
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as OrderStatus from "@awsomepets/core/status/event";
import { callbackUrl, newOrderId, openSocket, refusedStatus, startTestRuntime } from "@test-support/local-runtime";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let events: EventBridgeClient;
let management: ApiGatewayManagementApiClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ limits: { idleTimeoutMs: 800, maxMessageBytes: 128 * 1024 } });
  events = new EventBridgeClient({ endpoint: runtime.state.endpoints.events, region: "us-east-1", credentials });
  management = new ApiGatewayManagementApiClient({
    endpoint: runtime.state.endpoints.management,
    region: "us-east-1",
    credentials,
  });
});
afterAll(async () => {
  events.destroy();
  management.destroy();
  await runtime.close();
});

const publish = (detail: OrderStatus.StatusRecord) =>
  events.send(new PutEventsCommand({ Entries: [OrderStatus.toPutEventsEntry(detail, runtime.state.eventBusName)] }));

describe("local runtime", () => {
  it("answers /health with every endpoint once ready", async () => {
    const response = await fetch(`${runtime.state.endpoints.http}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      endpoints: {
        http: runtime.state.endpoints.http,
        websocket: runtime.state.endpoints.websocket,
        events: runtime.state.endpoints.events,
        dynamodb: runtime.state.endpoints.dynamodb,
        stepfunctions: runtime.state.endpoints.stepfunctions,
      },
      eventBusName: "test-awsomepets-callbacks-OrderEventBus",
      stage: "test",
    });
  });

  it("delivers a status published with PutEvents to the order's socket", async () => {
    // Prepare
    const orderId = newOrderId();
    const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));
    client.send({ action: "sync", orderId, after: 0 });
    await client.next(1); // synced
    // Act
    const result = await publish({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });
    const frames = await client.next(2);
    await runtime.events.idle();
    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(frames).toEqual([
      { type: "synced", orderId, lastSeq: 0 },
      { type: "status", orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z", seq: 1 },
    ]);
    expect(
      runtime.records.some((r) => r.component === "events" && r.message === "delivery" && r.orderId === orderId),
    ).toBe(true);
    client.close();
  });

  it("gives a status published before the socket opened to its first sync", async () => {
    // Prepare
    const orderId = newOrderId();
    await publish({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });
    await runtime.events.idle();
    // Act
    const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));
    client.send({ action: "sync", orderId });
    // Assess
    expect((await client.next(2)).map((f) => f.status ?? f.type)).toEqual(["placed", "synced"]);
    client.close();
  });

  it.each([
    ["no token", (orderId: string) => `${runtime.state.endpoints.websocket}?orderId=${orderId}`, 401],
    [
      "another order's token",
      (orderId: string) => callbackUrl(runtime.state.endpoints.websocket, orderId).replace(orderId, newOrderId()),
      403,
    ],
    // Denied by the `$connect` authorizer, before `$connect` runs.
    [
      "an order id that is not a UUID",
      (orderId: string) => callbackUrl(runtime.state.endpoints.websocket, orderId).replace(orderId, "1234"),
      403,
    ],
    // API Gateway's answer, before any function runs: the `$connect` authorizer's identity source is missing.
    [
      "no order id",
      (orderId: string) => callbackUrl(runtime.state.endpoints.websocket, orderId).replace(`orderId=${orderId}`, ""),
      401,
    ],
    ["no query at all", () => runtime.state.endpoints.websocket, 401],
  ])("refuses the upgrade with %s", async (_name, url, status) => {
    expect(await refusedStatus(url(newOrderId()))).toBe(status);
  });

  it("answers 410 Gone for a connection after it closed, and GetConnection while open", async () => {
    // Prepare
    const orderId = newOrderId();
    const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));
    const connectionId = runtime.gateway.connections().at(-1)!;
    // Act
    const info = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    client.close();
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterClose = management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode("{}") }),
    );
    // Assess
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    await expect(afterClose).rejects.toBeInstanceOf(GoneException);
  });

  it("closes an idle socket (1001) and a too-large message (1009)", async () => {
    const idle = await openSocket(callbackUrl(runtime.state.endpoints.websocket, newOrderId()));
    expect((await idle.closed).code).toBe(1001);
    const chatty = await openSocket(callbackUrl(runtime.state.endpoints.websocket, newOrderId()));
    chatty.socket.send("x".repeat(128 * 1024 + 1));
    expect((await chatty.closed).code).toBe(1009);
  });

  it("keeps the connection open after a malformed frame, with an error frame", async () => {
    const orderId = newOrderId();
    const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));
    client.socket.send("not json");
    expect(await client.next(1)).toEqual([{ type: "error", code: "bad_request", message: expect.any(String) }]);
    client.send({ action: "sync", orderId });
    expect((await client.next(2))[1]).toEqual({ type: "synced", orderId, lastSeq: 0 });
    client.close();
  });

  it("reports PutEvents validation errors per entry", async () => {
    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          OrderStatus.toPutEventsEntry(
            { orderId: newOrderId(), status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
            runtime.state.eventBusName,
          ),
          {
            EventBusName: runtime.state.eventBusName,
            Source: "awsomepets.orders",
            DetailType: "Order Status Changed",
            Detail: "[1,2]",
          },
          {
            EventBusName: "no-such-bus",
            Source: "awsomepets.orders",
            DetailType: "Order Status Changed",
            Detail: "{}",
          },
        ],
      }),
    );
    // Assess
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toBeTruthy();
    expect(result.Entries?.[1]?.ErrorCode).toBeTruthy();
    expect(result.Entries?.[2]?.ErrorCode).toBeTruthy();
  });
});
