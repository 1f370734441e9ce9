/** Messages: route selection on `action`, the MESSAGE event, and API Gateway's own error frames. */
import { PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { describe, expect, it, vi } from "vitest";
import { lastConnectionId, openClient, sleep, startTestGateway } from "../support/gateway";

describe("route selection on $request.body.action", () => {
  it.each([
    { body: JSON.stringify({ action: "sync", orderId: "o-1" }), route: "sync" },
    { body: JSON.stringify({ action: "unknown" }), route: "$default" },
    { body: JSON.stringify({ action: 42 }), route: "$default" },
    { body: JSON.stringify({ action: "$disconnect" }), route: "$default" },
    { body: "not json", route: "$default" },
    // Names every object inherits must not be taken for routes (they once answered 500).
    { body: JSON.stringify({ action: "constructor" }), route: "$default" },
    { body: JSON.stringify({ action: "toString" }), route: "$default" },
    { body: JSON.stringify({ action: "__proto__" }), route: "$default" },
    { body: '{"__proto__": {"action": "sync"}}', route: "$default" },
  ])("sends $body to $route", async ({ body, route }) => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway();
    const client = await openClient(gateway.url);

    // Act
    client.socket.send(body);

    // Assess
    await vi.waitFor(() => expect(callsTo(route)).toHaveLength(1));
    const { functionName, event } = callsTo(route)[0]!;
    expect(functionName).toBe("OrderWSPendingFunction");
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      routeKey: route,
      eventType: "MESSAGE",
      messageId: expect.any(String),
      messageDirection: "IN",
      connectionId: lastConnectionId(callsTo("$connect")),
    });
    expect(callsTo(route === "sync" ? "$default" : "sync")).toEqual([]);
  });

  it("sends a binary frame to $default, base64-encoded", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway();
    const client = await openClient(gateway.url);
    const bytes = Buffer.from([0, 159, 255, 1]);

    // Act
    client.socket.send(bytes);

    // Assess
    await vi.waitFor(() => expect(callsTo("$default")).toHaveLength(1));
    const { event } = callsTo("$default")[0]!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, "base64")).toEqual(bytes);
  });

  it("answers with a Forbidden frame when no route matches and there is no $default", async () => {
    // Prepare
    const { gateway, calls } = await startTestGateway({
      routes: { $connect: "OrderWSConnectFunction", sync: "OrderWSPendingFunction" },
    });
    const client = await openClient(gateway.url);

    // Act
    const frame = client.nextFrame();
    client.socket.send(JSON.stringify({ action: "other" }));

    // Assess
    const error = JSON.parse(String(await frame));
    expect(error).toEqual({
      message: "Forbidden",
      connectionId: lastConnectionId(calls),
      requestId: expect.any(String),
    });
    expect(calls.map((call) => call.event.requestContext.routeKey)).toEqual(["$connect"]);
  });
});

describe("several messages on one connection", () => {
  it("are invoked concurrently for one connection, as API Gateway does", async () => {
    // Prepare: the first invocation waits until a second one has started.
    let running = 0;
    let overlapped = false;
    const { gateway } = await startTestGateway({
      functions: {
        OrderWSPendingFunction: async () => {
          running += 1;
          if (running > 1) overlapped = true;
          await sleep(50);
          running -= 1;
          return { statusCode: 200 };
        },
      },
    });
    const client = await openClient(gateway.url);

    // Act
    client.socket.send("one");
    client.socket.send("two");

    // Assess
    await vi.waitFor(() => expect(overlapped).toBe(true));
  });
});

describe("a message function that throws", () => {
  it("gets the client an Internal server error frame and leaves the connection open", async () => {
    // Prepare
    const { gateway, calls, logs, management } = await startTestGateway({
      functions: {
        OrderWSPendingFunction: () => {
          throw new Error("handler failed");
        },
      },
    });
    const client = await openClient(gateway.url);
    const connectionId = lastConnectionId(calls);

    // Act
    const errorFrame = client.nextFrame();
    client.socket.send(JSON.stringify({ action: "sync" }));

    // Assess
    const frame = JSON.parse(String(await errorFrame));
    const message = calls.find((call) => call.event.requestContext.eventType === "MESSAGE");
    expect(frame).toEqual({
      message: "Internal server error",
      connectionId,
      requestId: message?.event.requestContext.requestId,
    });
    expect(logs.at(-1)).toMatchObject({ route: "sync", status: 500, error: "handler failed" });
    const stillOpen = client.nextFrame();
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: "still here" }));
    expect(await stillOpen).toBe("still here");
    expect(gateway.connections()).toEqual([connectionId]);
  });
});
