/**
 * The client against the local runtime (`npm start`'s, in this process on free ports), over Node's own
 * WebSocket — the one a browser has too: a reconnect mid-saga yields every status exactly once, in
 * order; a refused open, an expired link and `rate_limited` come out as typed events; stop ends cleanly.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WsSocket from "ws";
import { CallbackToken, OrderStatus } from "@awsomepets/core/index";
import { callbackUrl, newOrderId, startTestRuntime, TOKEN_SECRET } from "../../local/test/runtime/support";
import { watchOrder, type ConnectionState, type StatusFrame } from "../src/order-client";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let events: EventBridgeClient;
beforeAll(async () => {
  runtime = await startTestRuntime();
  events = new EventBridgeClient({ endpoint: runtime.state.endpoints.events, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});
afterAll(async () => {
  events.destroy();
  await runtime.close();
});

const publish = (orderId: string, status: OrderStatus.Status, second: number) =>
  events.send(
    new PutEventsCommand({
      Entries: [OrderStatus.toPutEventsEntry({ orderId, status, occurredAt: `2026-11-26T10:00:0${second}.000Z` }, runtime.state.eventBusName)],
    }),
  );

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A client that records what it says, with its sockets at hand (to drop one as a network would). */
function recordingClient(url: string, options: { onOpen?: (socket: WebSocket) => void } = {}) {
  const said: string[] = [];
  const statuses: StatusFrame[] = [];
  const states: ConnectionState["kind"][] = [];
  const sockets: WebSocket[] = [];
  const client = watchOrder({
    url,
    lingerMs: 100,
    delay: () => 50,
    syncDelay: () => 50,
    createSocket: (u) => {
      const socket = new WebSocket(u);
      if (options.onOpen) socket.addEventListener("open", () => options.onOpen!(socket));
      sockets.push(socket);
      return socket;
    },
    events: {
      onStatus: (frame) => statuses.push(frame),
      onState: (state) => states.push(state.kind),
      onOpenFailed: (n) => said.push(`open_failed ${n}`),
      onExpired: () => said.push("expired"),
      onRateLimited: () => said.push("rate_limited"),
      onServerError: (code) => said.push(`error ${code}`),
      onFinished: () => said.push("finished"),
    },
  });
  return { client, said, statuses, states, sockets };
}

describe("the order client against the local runtime", () => {
  it("yields every status exactly once, in order, across a reconnect mid-saga", async () => {
    const orderId = newOrderId();
    await publish(orderId, "placed", 0);
    const watch = recordingClient(callbackUrl(runtime.state.endpoints.websocket, orderId));
    await until(() => watch.statuses.length === 1, "placed");
    await publish(orderId, "reserved", 1);
    await until(() => watch.statuses.length === 2, "reserved");

    // The network drops the socket; statuses go on meanwhile, one of them twice.
    watch.sockets[0]!.close();
    await publish(orderId, "paid", 2);
    await publish(orderId, "reserved", 1);
    await until(() => watch.client.opens === 2, "the reconnect");
    await publish(orderId, "paid", 2);
    await publish(orderId, "completed", 3);
    await watch.client.closed;

    expect(watch.statuses.map((s) => [s.seq, s.status])).toEqual([
      [1, "placed"],
      [2, "reserved"],
      [3, "paid"],
      [4, "completed"],
    ]);
    expect(watch.client.timeline.statuses.map((s) => s.status)).toEqual(["placed", "reserved", "paid", "completed"]);
    expect(watch.said).toEqual(["finished"]);
    expect(watch.states).toEqual(["connecting", "live", "reconnecting", "connecting", "live", "closed"]);
    expect(watch.sockets.map((s) => s.readyState >= WebSocket.CLOSING)).toEqual([true, true]);
  });

  it("gives up a socket whose network vanished without a close, reconnects and misses nothing", async () => {
    // Prepare: a live watch whose first socket never reports its close (a network gone, no TCP reset)
    const orderId = newOrderId();
    await publish(orderId, "placed", 0);
    const states: ConnectionState["kind"][] = [];
    const statuses: StatusFrame[] = [];
    const sockets: WebSocket[] = [];
    const client = watchOrder({
      url: callbackUrl(runtime.state.endpoints.websocket, orderId),
      lingerMs: 100,
      delay: () => 50,
      createSocket: (u) => {
        const socket = new WebSocket(u);
        sockets.push(socket);
        if (sockets.length > 1) return socket;
        // The first socket's close never reaches the client.
        return { get readyState() { return socket.readyState; }, send: (d: string) => socket.send(d), close: (c?: number, r?: string) => socket.close(c, r), addEventListener: (type: string, listener: any) => type !== "close" && socket.addEventListener(type, listener) } as any;
      },
      events: { onState: (state) => states.push(state.kind), onStatus: (frame) => statuses.push(frame) },
    });
    await until(() => statuses.length === 1, "placed");
    // Act: the platform says the network is gone; a status is published meanwhile
    client.connectionLost();
    const stateRightAfter = states.at(-1);
    await publish(orderId, "cancelled", 1);
    await client.closed;
    // Assess
    expect(stateRightAfter).toBe("reconnecting");
    expect(statuses.map((s) => [s.seq, s.status])).toEqual([
      [1, "placed"],
      [2, "cancelled"],
    ]);
    expect(client.opens).toBe(2);
    expect(states).toEqual(["connecting", "live", "reconnecting", "connecting", "live", "closed"]);
    expect(sockets[0]!.readyState).toBeGreaterThanOrEqual(WebSocket.CLOSING); // the client closed it itself
  });

  it("reports a refused open (another order's token: 403) as open_failed, and stops cleanly", async () => {
    const url = callbackUrl(runtime.state.endpoints.websocket, newOrderId()).replace(/orderId=[^&]+/, `orderId=${newOrderId()}`);
    const watch = recordingClient(url);
    await until(() => watch.said.length >= 2, "two failed opens");
    watch.client.stop();
    await watch.client.closed;
    expect(watch.said.slice(0, 2)).toEqual(["open_failed 1", "open_failed 2"]);
    expect(watch.statuses).toEqual([]);
    expect(watch.states.at(-1)).toBe("closed");
  });

  it("reports an expired link as expired, without opening a socket", async () => {
    const orderId = newOrderId();
    const token = CallbackToken.sign({ orderId, stage: runtime.state.stage, secret: TOKEN_SECRET, now: new Date(Date.now() - 2 * 86_400_000) });
    const watch = recordingClient(callbackUrl(runtime.state.endpoints.websocket, orderId, token));
    await watch.client.closed;
    expect(watch.said).toEqual(["expired"]);
    expect(watch.sockets).toHaveLength(0);
    expect(watch.states).toEqual(["closed"]);
  });

  it("surfaces rate_limited and still gets every status with a later sync", async () => {
    const orderId = newOrderId();
    await publish(orderId, "placed", 0);
    // A flood on the same socket, as a misbehaving page would send.
    const flood = (socket: WebSocket) => {
      for (let i = 0; i < 12; i++) socket.send(JSON.stringify({ action: "sync", after: 0 }));
    };
    const watch = recordingClient(callbackUrl(runtime.state.endpoints.websocket, orderId), { onOpen: flood });
    await until(() => watch.said.includes("rate_limited"), "rate_limited");
    await publish(orderId, "cancelled", 1);
    await watch.client.closed;
    expect(watch.said).toEqual(["rate_limited", "finished"]);
    expect(watch.statuses.map((s) => [s.seq, s.status])).toEqual([
      [1, "placed"],
      [2, "cancelled"],
    ]);
  });

  it("takes another socket implementation (Node's ws), through which a caller sees the refused upgrade's status", async () => {
    const url = callbackUrl(runtime.state.endpoints.websocket, newOrderId()).replace(/orderId=[^&]+/, `orderId=${newOrderId()}`);
    const refusals: number[] = [];
    const said: string[] = [];
    const client = watchOrder({
      url,
      delay: () => 50,
      createSocket: (u) => {
        const socket = new WsSocket(u);
        socket.on("unexpected-response", (_request, response) => {
          refusals.push(response.statusCode ?? 0);
          response.resume();
          socket.terminate();
        });
        return socket;
      },
      events: {
        onOpenFailed: (n) => {
          said.push(`open_failed ${n}`);
          if (n === 2) client.stop();
        },
      },
    });
    await client.closed;
    expect(said).toEqual(["open_failed 1", "open_failed 2"]);
    expect(refusals).toEqual([403, 403]);
    expect(client.opens).toBe(0);
  });
});
