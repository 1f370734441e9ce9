/** `$connect`: the event it receives, and its power to refuse the handshake before the socket opens. */
import { GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  deferred,
  lastConnectionId,
  managementClient,
  openClient,
  refusedHandshake,
  startTestGateway,
  STAGE,
  USER_AGENT,
} from "../support/gateway";

const CONNECTION_ID = /^[A-Za-z0-9_-]{15}=$/;
const REQUEST_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

describe("$connect event", () => {
  it("has API Gateway's shape, with null query parameters when the URL has no query", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway();

    // Act
    await openClient(gateway.url);

    // Assess
    const [call] = callsTo("$connect");
    expect(callsTo("$connect")).toHaveLength(1);
    expect(call!.functionName).toBe("OrderWSConnectFunction");
    const { event } = call!;
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers).toMatchObject({ Host: `127.0.0.1:${gateway.port}`, "User-Agent": USER_AGENT });
    expect(event.headers["Sec-WebSocket-Key"]).toEqual(expect.any(String));
    expect(event.multiValueHeaders["Sec-WebSocket-Version"]).toEqual(["13"]);
    expect(event.requestContext).toEqual({
      routeKey: "$connect",
      eventType: "CONNECT",
      extendedRequestId: event.requestContext.requestId,
      requestTime: expect.stringMatching(REQUEST_TIME),
      messageDirection: "IN",
      stage: STAGE,
      connectedAt: expect.any(Number),
      requestTimeEpoch: expect.any(Number),
      identity: { sourceIp: "127.0.0.1", userAgent: USER_AGENT },
      requestId: expect.stringMatching(CONNECTION_ID),
      domainName: `127.0.0.1:${gateway.port}`,
      connectionId: expect.stringMatching(CONNECTION_ID),
      apiId: expect.stringMatching(/^[a-z0-9]{10}$/),
    });
    expect(gateway.connections()).toEqual([event.requestContext.connectionId]);
  });

  it("passes the query string and logs the order id of the connection", async () => {
    // Prepare
    const { gateway, callsTo, logs } = await startTestGateway();

    // Act
    await openClient(`${gateway.url}?orderId=o-1&token=a&token=b`);

    // Assess
    const { event } = callsTo("$connect")[0]!;
    expect(event.queryStringParameters).toEqual({ orderId: "o-1", token: "b" });
    expect(event.multiValueQueryStringParameters).toEqual({ orderId: ["o-1"], token: ["a", "b"] });
    expect(logs).toEqual([
      expect.objectContaining({
        route: "$connect",
        functionName: "OrderWSConnectFunction",
        connectionId: event.requestContext.connectionId,
        status: 200,
        orderId: "o-1",
        durationMs: expect.any(Number),
      }),
    ]);
  });
});

describe("$connect refusing the handshake", () => {
  it.each([401, 403])("answers the upgrade with %i and never opens the socket", async (statusCode) => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway({
      functions: { OrderWSConnectFunction: () => ({ statusCode, body: "token rejected" }) },
    });

    // Act
    const refusal = await refusedHandshake(gateway.url);

    // Assess
    expect(refusal.statusCode).toBe(statusCode);
    expect(refusal.body).toBe("token rejected");
    expect(refusal.opened()).toBe(false);
    expect(gateway.connections()).toEqual([]);
    expect(callsTo("$disconnect")).toEqual([]);
  });

  it("lets go at once of the sockets of clients that left while their $connect waited", async () => {
    // Prepare: $connect held (its function's environments busy, as under a reconnect storm)
    const held = deferred();
    const { gateway, callsTo } = await startTestGateway({
      functions: { OrderWSConnectFunction: () => held.promise.then(() => ({ statusCode: 200 })) },
    });
    const clients = Array.from({ length: 20 }, () => new WebSocket(gateway.url).on("error", () => {}));
    while (callsTo("$connect").length < clients.length) await new Promise((resolve) => setTimeout(resolve, 10));
    // Act: every client gives up before its $connect answers
    for (const client of clients) client.terminate();
    const deadline = Date.now() + 2_000;
    while ((await gateway.tcpConnections()) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const heldWhileWaiting = await gateway.tcpConnections();
    held.resolve();
    // Assess: nothing held (each was a file descriptor until its turn); none opened, so no $disconnect
    expect(heldWhileWaiting).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.connections()).toEqual([]);
    expect(callsTo("$disconnect")).toEqual([]);
  });

  it("answers 500 when the $connect function throws", async () => {
    // Prepare
    const { gateway, callsTo, logs } = await startTestGateway({
      functions: {
        OrderWSConnectFunction: () => {
          throw new Error("boom");
        },
      },
    });

    // Act
    const refusal = await refusedHandshake(gateway.url);

    // Assess
    expect(refusal.statusCode).toBe(500);
    expect(JSON.parse(refusal.body)).toEqual({ message: "Internal server error" });
    expect(callsTo("$disconnect")).toEqual([]);
    expect(logs).toEqual([expect.objectContaining({ route: "$connect", status: 500, error: "boom" })]);
  });

  it("answers 403 for an upgrade to another stage without invoking $connect", async () => {
    // Prepare
    const { gateway, calls } = await startTestGateway();

    // Act
    const refusal = await refusedHandshake(gateway.url.replace(`/${STAGE}`, "/other"));

    // Assess
    expect(refusal.statusCode).toBe(403);
    expect(calls).toEqual([]);
  });
});

describe("a connection while $connect runs", () => {
  it("is gone (410) for @connections until $connect has returned", async () => {
    // Prepare: the $connect function posts to its own connection, as a handler might try to.
    let duringConnect: unknown;
    const { gateway, calls, management } = await startTestGateway({
      functions: {
        OrderWSConnectFunction: async (event) => {
          const client = managementClient(`http://${event.requestContext.domainName}/${event.requestContext.stage}`);
          try {
            await client.send(
              new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: "too early" }),
            );
            duringConnect = "delivered";
          } catch (error) {
            duringConnect = error;
          } finally {
            client.destroy();
          }
          return { statusCode: 200 };
        },
      },
    });

    // Act
    const client = await openClient(gateway.url);
    const frame = client.nextFrame();
    await management.send(new PostToConnectionCommand({ ConnectionId: lastConnectionId(calls), Data: "in time" }));

    // Assess
    expect(duringConnect).toBeInstanceOf(GoneException);
    expect((duringConnect as GoneException).$metadata.httpStatusCode).toBe(410);
    expect(await frame).toBe("in time");
    expect(client.frames).toEqual(["in time"]);
  });
});
