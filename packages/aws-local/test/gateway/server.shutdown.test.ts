/** `close()`: every connection gets its `$disconnect`, and nothing the gateway started keeps running. */
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { deferred, openClient, startTestGateway } from "../support/gateway";

/** Counts of the handle kinds a gateway creates: listening servers, sockets and timers. */
function gatewayHandles() {
  const counts = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind in counts) counts[kind as keyof typeof counts] += 1;
  }
  return counts;
}

/** The error a client gets connecting to the gateway's address. */
function connectError(url: string) {
  const socket = new WebSocket(url);
  return new Promise<unknown>((resolve) => {
    socket.once("error", resolve);
    socket.once("open", () => {
      socket.terminate();
      resolve(undefined);
    });
  });
}

describe("close()", () => {
  it("closes every connection, runs $disconnect for each and leaves no open handles", async () => {
    // Prepare
    const baseline = gatewayHandles();
    const { gateway, callsTo, management } = await startTestGateway();
    const clients = await Promise.all([openClient(gateway.url), openClient(gateway.url)]);
    const ids = gateway.connections();

    // Act
    await gateway.close();
    management.destroy();

    // Assess
    const closes = await Promise.all(clients.map((client) => client.closed));
    expect(closes.map((closed) => closed.code)).toEqual([1001, 1001]);
    expect(
      callsTo("$disconnect")
        .map((call) => call.event.requestContext.connectionId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(gateway.connections()).toEqual([]);
    // libuv releases a closed server handle a loop turn or two after Node reports it closed.
    await expect.poll(gatewayHandles, { timeout: 1_000 }).toEqual(baseline);
    expect(await connectError(gateway.url)).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("refuses an upgrade whose $connect is still running, without $disconnect", async () => {
    // Prepare
    const release = deferred();
    const { gateway, callsTo } = await startTestGateway({
      functions: {
        OrderWSConnectFunction: async () => {
          await release.promise;
          return { statusCode: 200 };
        },
      },
    });
    const client = new WebSocket(gateway.url);
    const clientClosed = new Promise<boolean>((resolve) => {
      let opened = false;
      client.on("open", () => (opened = true));
      client.on("error", () => {});
      client.on("close", () => resolve(opened));
    });
    await expect.poll(() => callsTo("$connect").length).toBe(1);

    // Act
    const closing = gateway.close();
    release.resolve();
    await closing;

    // Assess
    expect(await clientClosed).toBe(false);
    expect(callsTo("$disconnect")).toEqual([]);
  });

  it("can be called twice", async () => {
    // Prepare
    const { gateway } = await startTestGateway();
    await openClient(gateway.url);

    // Act
    const [first, second] = [gateway.close(), gateway.close()];

    // Assess
    expect(first).toBe(second);
    await first;
    expect(await connectError(gateway.url)).toMatchObject({ code: "ECONNREFUSED" });
  });
});
