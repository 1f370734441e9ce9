/**
 * The client against the local runtime (`npm start`'s, in this process on free ports), over Node's own
 * WebSocket — the one a browser has too: a reconnect mid-saga yields every status exactly once, in
 * order; a refused open, an expired link and `rate_limited` come out as typed events; stop ends cleanly.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WsSocket from "ws";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as OrderStatus from "@awsomepets/core/status/event";
import {
  callbackUrl,
  floodSyncs,
  newOrderId,
  startTestRuntime,
  TOKEN_SECRET,
  untilRecorded,
} from "@test-support/local-runtime";
import { watchOrder, type ConnectionState, type StatusFrame } from "../src/order-client";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let events: EventBridgeClient;
beforeAll(async () => {
  runtime = await startTestRuntime();
  events = new EventBridgeClient({
    endpoint: runtime.state.endpoints.events,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  events.destroy();
  await runtime.close();
});

const publish = (orderId: string, status: OrderStatus.Status, second: number) =>
  events.send(
    new PutEventsCommand({
      Entries: [
        OrderStatus.toPutEventsEntry(
          { orderId, status, occurredAt: `2026-11-26T10:00:0${second}.000Z` },
          runtime.state.eventBusName,
        ),
      ],
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
        return {
          get readyState() {
            return socket.readyState;
          },
          send: (d: string) => socket.send(d),
          close: (c?: number, r?: string) => socket.close(c, r),
          addEventListener: (type: string, listener: any) =>
            type !== "close" && socket.addEventListener(type, listener),
        } as any;
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
    const url = callbackUrl(runtime.state.endpoints.websocket, newOrderId()).replace(
      /orderId=[^&]+/,
      `orderId=${newOrderId()}`,
    );
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
    const token = CallbackToken.sign({
      orderId,
      stage: runtime.state.stage,
      secret: TOKEN_SECRET,
      now: new Date(Date.now() - 2 * 86_400_000),
    });
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
    // One streak of refusals is told once (callbacks/admission.test.ts, on a set clock); here the
    // bucket may refill mid-flood on a loaded machine and start a second streak, told again.
    expect(watch.said[0]).toBe("rate_limited");
    expect(watch.said.filter((s) => s !== "rate_limited")).toEqual(["finished"]);
    expect(watch.statuses.map((s) => [s.seq, s.status])).toEqual([
      [1, "placed"],
      [2, "cancelled"],
    ]);
  });

  it("asks again for a sync whose answer never came, on the same socket", async () => {
    // Prepare: a socket that loses every frame up to the first `synced`: the first sync's answer
    const orderId = newOrderId();
    await publish(orderId, "placed", 0);
    await untilRecorded(callbackUrl(runtime.state.endpoints.websocket, orderId), 1);
    const lost: any[] = [];
    const statuses: StatusFrame[] = [];
    const client = watchOrder({
      url: callbackUrl(runtime.state.endpoints.websocket, orderId),
      syncDelay: () => 50,
      syncTimeoutMs: 300,
      createSocket: (u) => {
        const socket = new WebSocket(u);
        const losing = () => !lost.some((f) => f.type === "synced");
        return Object.assign(Object.create(socket), {
          send: (d: string) => socket.send(d),
          close: (c?: number, r?: string) => socket.close(c, r),
          addEventListener: (type: string, listener: any) =>
            socket.addEventListener(
              type,
              type !== "message"
                ? listener
                : (e: MessageEvent) => (losing() ? lost.push(JSON.parse(String(e.data))) : listener(e)),
            ),
        });
      },
      events: { onStatus: (frame) => statuses.push(frame) },
    });
    // Act: nothing but waiting
    await until(() => statuses.length === 1, "placed, answering a sync sent again");
    client.stop();
    await client.closed;
    // Assess
    expect(lost.at(-1)).toEqual({ type: "synced", orderId, lastSeq: 1 });
    expect(statuses.map((s) => [s.seq, s.status])).toEqual([[1, "placed"]]);
    expect(client.opens).toBe(1);
  });

  it("takes another socket implementation (Node's ws), through which a caller sees the refused upgrade's status", async () => {
    const url = callbackUrl(runtime.state.endpoints.websocket, newOrderId()).replace(
      /orderId=[^&]+/,
      `orderId=${newOrderId()}`,
    );
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

/**
 * Issue 24: API Gateway throttles a sync when the stage's message bucket is empty (a reconnect wave of
 * a few hundred sockets empties it on AWS). Its frame, `{"message": "Too Many Requests", …}`, has no
 * `type`; the client must take it as the end of its sync and ask again, or a later gap is never filled.
 */
describe("the order client against npm start's gateway throttling its sync", () => {
  // One token every 5 s, at most one held: once another socket's sync has been admitted, every message
  // of the stage for the next 5 s is throttled, whatever the machine's load (a sync takes milliseconds).
  const SYNC_ROUTE_THROTTLE = { rateLimit: 0.2, burstLimit: 1 };
  const UNLIMITED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };
  let throttled: Awaited<ReturnType<typeof startTestRuntime>>;
  let bus: EventBridgeClient;
  beforeAll(async () => {
    throttled = await startTestRuntime({
      throttles: { http: UNLIMITED, webSocket: { default: SYNC_ROUTE_THROTTLE, routes: { $connect: UNLIMITED } } },
    });
    bus = new EventBridgeClient({
      endpoint: throttled.state.endpoints.events,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  afterAll(async () => {
    bus.destroy();
    await throttled?.close();
  });
  const publishThere = (orderId: string, status: OrderStatus.Status, second: number) =>
    bus.send(
      new PutEventsCommand({
        Entries: [
          OrderStatus.toPutEventsEntry(
            { orderId, status, occurredAt: `2026-11-26T10:00:0${second}.000Z` },
            throttled.state.eventBusName,
          ),
        ],
      }),
    );

  it("asks again after a throttled sync, and fills the gap a later push leaves, without a reconnect", {
    timeout: 60_000,
  }, async () => {
    // Prepare: `placed` recorded, and the bucket just emptied by the flood's admitted sync (its `synced`)
    const orderId = newOrderId();
    const url = callbackUrl(throttled.state.endpoints.websocket, orderId);
    await publishThere(orderId, "placed", 0);
    const flooding = await floodSyncs(url, 1);
    try {
      await flooding.admitted;
      // Act: the client opens (its sync is throttled), then `reserved` is pushed while the flood goes on
      const frames: any[] = [];
      const watch = recordingClient(url, {
        onOpen: (socket) => socket.addEventListener("message", (e) => frames.push(JSON.parse(String(e.data)))),
      });
      await until(() => frames.length > 0, "the answer to the client's first sync");
      expect(frames[0]).toMatchObject({ message: "Too Many Requests" }); // the case at stake, not a lucky token
      await publishThere(orderId, "reserved", 1);
      await until(() => watch.statuses.some((s) => s.seq === 2), "reserved (seq 2), pushed");
      flooding.stop();
      // Assess: placed arrives on the same socket once the bucket refills
      await until(() => watch.statuses.length === 2, "placed (seq 1) after the flood", 20_000);
      expect(watch.client.timeline.statuses.map((s) => [s.seq, s.status])).toEqual([
        [1, "placed"],
        [2, "reserved"],
      ]);
      expect(watch.client.opens).toBe(1);
      expect(watch.said[0]).toBe("rate_limited");
      watch.client.stop();
      await watch.client.closed;
    } finally {
      flooding.stop();
    }
  });
});
