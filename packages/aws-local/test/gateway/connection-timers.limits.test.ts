/** API Gateway's quotas on a connection: message size, idle timeout and maximum lifetime (shortened here). */
import { describe, expect, it, vi } from "vitest";
import { lastConnectionId, openClient, sleep, startTestGateway } from "../support/gateway";

describe("a message over the size limit", () => {
  it("closes the connection with 1009 and runs $disconnect", async () => {
    // Prepare
    const { gateway, calls, callsTo } = await startTestGateway();
    const client = await openClient(gateway.url);

    // Act
    client.socket.send("x".repeat(128 * 1024 + 1));

    // Assess
    expect((await client.closed).code).toBe(1009);
    await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));
    expect(callsTo("$disconnect")[0]!.event.requestContext).toMatchObject({
      connectionId: lastConnectionId(calls),
      disconnectStatusCode: 1009,
    });
    expect(callsTo("$default")).toEqual([]);
  });

  it("lets a message of exactly the limit through", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway();
    const client = await openClient(gateway.url);

    // Act
    client.socket.send("x".repeat(128 * 1024));

    // Assess
    await vi.waitFor(() => expect(callsTo("$default")).toHaveLength(1));
    expect(callsTo("$default")[0]!.event.body).toHaveLength(128 * 1024);
  });
});

describe("the idle timeout", () => {
  it("closes a silent connection with 1001 Going away and runs $disconnect once", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway({ limits: { idleTimeoutMs: 150 } });
    const client = await openClient(gateway.url);
    const opened = Date.now();

    // Act
    const closed = await client.closed;

    // Assess
    expect(closed).toEqual({ code: 1001, reason: "Going away" });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(140);
    await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));
    expect(callsTo("$disconnect")[0]!.event.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: "Going away",
    });
    expect(gateway.connections()).toEqual([]);
  });

  it("is restarted by every frame from the client", async () => {
    // Prepare
    const { gateway } = await startTestGateway({ limits: { idleTimeoutMs: 400 } });
    const client = await openClient(gateway.url);

    // Act: stay busy for two idle periods, a frame every 50 ms.
    for (let sent = 0; sent < 16; sent += 1) {
      client.socket.send("keep-alive");
      await sleep(50);
    }

    // Assess
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(gateway.connections()).toHaveLength(1);
  });
});

describe("the maximum connection lifetime", () => {
  it("closes even a busy connection with 1001 and runs $disconnect", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway({ limits: { maxLifetimeMs: 300, idleTimeoutMs: 60_000 } });
    const client = await openClient(gateway.url);
    const opened = Date.now();
    const keepBusy = setInterval(() => client.socket.send("busy"), 30);

    // Act
    const closed = await client.closed.finally(() => clearInterval(keepBusy));

    // Assess
    expect(closed.code).toBe(1001);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(290);
    await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));
    expect(callsTo("$disconnect")[0]!.event.requestContext.disconnectStatusCode).toBe(1001);
  });
});
