/** The `@connections` API through the real SDK client: post, get, delete, and the errors AWS returns. */
import {
  DeleteConnectionCommand,
  ForbiddenException,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { describe, expect, it, vi } from "vitest";
import {
  lastConnectionId,
  managementClient,
  openClient,
  sleep,
  startTestGateway,
  STAGE,
  USER_AGENT,
} from "../support/gateway";

describe("PostToConnection", () => {
  it("delivers UTF-8 data as a text frame", async () => {
    // Prepare
    const { gateway, calls, management } = await startTestGateway();
    const client = await openClient(gateway.url);
    const frame = client.nextFrame();

    // Act
    await management.send(
      new PostToConnectionCommand({
        ConnectionId: lastConnectionId(calls),
        Data: JSON.stringify({ status: "shipped ✓" }),
      }),
    );

    // Assess
    expect(await frame).toBe('{"status":"shipped ✓"}');
  });

  it("delivers bytes that are not UTF-8 as a binary frame", async () => {
    // Prepare
    const { gateway, calls, management } = await startTestGateway();
    const client = await openClient(gateway.url);
    const frame = client.nextFrame();
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);

    // Act
    await management.send(new PostToConnectionCommand({ ConnectionId: lastConnectionId(calls), Data: bytes }));

    // Assess
    expect(await frame).toEqual(Buffer.from(bytes));
  });

  it("refuses a payload over 128 KB with PayloadTooLargeException", async () => {
    // Prepare
    const { gateway, calls, management } = await startTestGateway();
    const client = await openClient(gateway.url);

    // Act
    const posting = management.send(
      new PostToConnectionCommand({ ConnectionId: lastConnectionId(calls), Data: "x".repeat(128 * 1024 + 1) }),
    );

    // Assess
    await expect(posting).rejects.toBeInstanceOf(PayloadTooLargeException);
    await expect(posting).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
    expect(client.frames).toEqual([]);
  });

  it("answers GoneException for an id it never issued", async () => {
    // Prepare
    const { management } = await startTestGateway();

    // Act
    const posting = management.send(new PostToConnectionCommand({ ConnectionId: "AAAAAAAAAAAAAAA=", Data: "x" }));

    // Assess
    await expect(posting).rejects.toBeInstanceOf(GoneException);
  });

  it("answers ForbiddenException on another stage", async () => {
    // Prepare
    const { gateway, calls } = await startTestGateway();
    await openClient(gateway.url);
    const otherStage = managementClient(gateway.managementEndpoint.replace(`/${STAGE}`, "/prod"));

    // Act
    const posting = otherStage.send(new PostToConnectionCommand({ ConnectionId: lastConnectionId(calls), Data: "x" }));

    // Assess
    await expect(posting).rejects.toBeInstanceOf(ForbiddenException);
    otherStage.destroy();
  });
});

describe("GetConnection", () => {
  it("reports ConnectedAt, LastActiveAt and the client's identity", async () => {
    // Prepare
    const { gateway, calls, management } = await startTestGateway();
    const before = Date.now();
    const client = await openClient(gateway.url);
    await sleep(20);
    client.socket.send("activity");
    await vi.waitFor(() => expect(calls).toHaveLength(2));

    // Act
    const connection = await management.send(new GetConnectionCommand({ ConnectionId: lastConnectionId(calls) }));

    // Assess
    expect(connection.Identity).toEqual({ SourceIp: "127.0.0.1", UserAgent: USER_AGENT });
    expect(connection.ConnectedAt).toBeInstanceOf(Date);
    expect(connection.LastActiveAt).toBeInstanceOf(Date);
    expect(connection.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(connection.LastActiveAt!.getTime()).toBeGreaterThan(connection.ConnectedAt!.getTime());
  });
});

describe("DeleteConnection", () => {
  it("closes the socket and runs $disconnect exactly once", async () => {
    // Prepare
    const { gateway, calls, callsTo, management } = await startTestGateway();
    const client = await openClient(gateway.url);
    const connectionId = lastConnectionId(calls);

    // Act
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));

    // Assess
    expect((await client.closed).code).toBe(1000);
    await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));
    await sleep(50);
    expect(callsTo("$disconnect")).toHaveLength(1);
    const { functionName, event } = callsTo("$disconnect")[0]!;
    expect(functionName).toBe("OrderWSDisconnectFunction");
    expect(event.requestContext).toMatchObject({
      routeKey: "$disconnect",
      eventType: "DISCONNECT",
      connectionId,
      disconnectStatusCode: 1000,
      disconnectReason: expect.any(String),
    });
    expect(gateway.connections()).toEqual([]);
  });
});

describe("a connection the client closed", () => {
  it("runs $disconnect with the client's code and is gone for POST, GET and DELETE", async () => {
    // Prepare
    const { gateway, calls, callsTo, management } = await startTestGateway();
    const client = await openClient(gateway.url);
    const connectionId = lastConnectionId(calls);

    // Act
    client.socket.close(4000, "bye");
    await client.closed;
    await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));

    // Assess
    expect(callsTo("$disconnect")[0]!.event.requestContext).toMatchObject({
      connectionId,
      disconnectStatusCode: 4000,
      disconnectReason: "bye",
    });
    const post = management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: "late" }));
    await expect(post).rejects.toBeInstanceOf(GoneException);
    await expect(post).rejects.toMatchObject({ $metadata: { httpStatusCode: 410 } });
    await expect(management.send(new GetConnectionCommand({ ConnectionId: connectionId }))).rejects.toBeInstanceOf(
      GoneException,
    );
    await expect(management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))).rejects.toBeInstanceOf(
      GoneException,
    );
    expect(callsTo("$disconnect")).toHaveLength(1);
  });

  it("is already gone while $disconnect runs", async () => {
    // Prepare: $disconnect tries to post to the connection it is cleaning up after.
    let duringDisconnect: unknown;
    const { gateway, calls, callsTo } = await startTestGateway({
      functions: {
        OrderWSDisconnectFunction: async (event) => {
          const client = managementClient(gateway.managementEndpoint);
          duringDisconnect = await client
            .send(new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: "x" }))
            .then(
              () => "delivered",
              (error: unknown) => error,
            );
          client.destroy();
          return { statusCode: 200 };
        },
      },
    });
    const client = await openClient(gateway.url);

    // Act
    client.socket.close();
    await vi.waitFor(() => expect(duringDisconnect).toBeDefined());

    // Assess
    expect(duringDisconnect).toBeInstanceOf(GoneException);
    expect(callsTo("$disconnect")[0]!.event.requestContext).toMatchObject({
      connectionId: lastConnectionId(calls),
      disconnectStatusCode: 1005,
    });
  });
});
