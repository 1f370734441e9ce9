/**
 * The watch-order client in-process against the real local runtime: resuming with its cursor after
 * a dropped connection, stopping, and a refused upgrade.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as OrderStatus from "@awsomepets/core/status/event";
import { localCallbackUrl } from "../../src/cli/local-callback-url";
import { followOrderInTerminal } from "../../src/cli/order-watcher";
import { newOrderId, startRuntimeWithStateFile } from "../support/cli";

let runtime: Awaited<ReturnType<typeof startRuntimeWithStateFile>>;
let events: EventBridgeClient;

beforeAll(async () => {
  runtime = await startRuntimeWithStateFile();
  events = new EventBridgeClient({
    endpoint: runtime.state.endpoints.events,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  events?.destroy();
  await runtime?.close();
});

async function publish(orderId: string, status: OrderStatus.Status, occurredAt: string) {
  const result = await events.send(
    new PutEventsCommand({
      Entries: [OrderStatus.toPutEventsEntry({ orderId, status, occurredAt }, runtime.state.eventBusName)],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
  await runtime.events.idle();
}

async function until(condition: () => boolean, what: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collectingWatcher(orderId: string, url: string, delayMs = 600) {
  const out: string[] = [];
  const err: string[] = [];
  const watcher = followOrderInTerminal({
    url,
    orderId,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    delay: () => delayMs,
    lingerMs: 100,
  });
  return { watcher, out, err };
}

it("reconnects after a dropped connection, resumes after its cursor, and finishes at completed", async () => {
  // Prepare
  const orderId = newOrderId();
  const { watcher, out, err } = collectingWatcher(orderId, localCallbackUrl({ state: runtime.state, orderId }));
  try {
    await until(() => err.includes("connected; syncing after #0"), "the first connection");
    await publish(orderId, "placed", "2026-11-26T10:00:00.000Z");
    await until(() => out.length === 1, "placed");
    // Act: drop the socket without a close handshake, publish while the watcher waits to reconnect
    watcher.socket()!.terminate();
    await until(() => err.some((l) => l.startsWith("connection closed")), "the close to be noticed");
    await publish(orderId, "reserved", "2026-11-26T10:00:01.000Z");
    await until(() => err.includes("connected; syncing after #1"), "the reconnection");
    await until(() => out.length === 2, "reserved");
    await publish(orderId, "completed", "2026-11-26T10:00:02.000Z");
    const outcome = await watcher.done;
    // Assess
    expect(outcome).toEqual({ kind: "finished" });
    expect(out.map((l) => l.split(/\s+/).slice(1, 3).join(" "))).toEqual(["#1 placed", "#2 reserved", "#3 completed"]);
    expect(err.find((l) => l.startsWith("connection closed"))).toMatch(/reconnecting in \d+ ms$/);
    expect(watcher.timeline.cursor).toBe(3);
    expect(watcher.socket()).toBeUndefined();
  } finally {
    watcher.stop();
    await watcher.done;
  }
});

it("stops on request with a clean close and no reconnection", async () => {
  // Prepare
  const orderId = newOrderId();
  const { watcher, err } = collectingWatcher(orderId, localCallbackUrl({ state: runtime.state, orderId }));
  await until(
    () => err.includes("connected; syncing after #0") && runtime.gateway.connections().length === 1,
    "the connection",
  );
  // Act
  watcher.stop();
  const outcome = await watcher.done;
  await until(() => runtime.gateway.connections().length === 0, "the gateway to see the close");
  await new Promise((resolve) => setTimeout(resolve, 100)); // room for a reconnection that must not come
  // Assess
  expect(outcome).toEqual({ kind: "stopped" });
  expect(err.filter((l) => l.startsWith("connection closed"))).toEqual([]);
  expect(runtime.gateway.connections()).toEqual([]);
});

it.each([
  [
    "a forged token",
    (orderId: string) =>
      CallbackToken.callbackUrl({
        websocketUrl: runtime.state.endpoints.websocket,
        orderId,
        token: CallbackToken.sign({
          orderId,
          stage: runtime.state.stage,
          secret: "another-secret-0123456789abcdefghijklmn",
        }),
      }),
    403,
  ],
  ["no token", (orderId: string) => `${runtime.state.endpoints.websocket}?orderId=${orderId}`, 401],
])("ends with a refusal for %s, without retrying", async (_name, url, statusCode) => {
  // Prepare
  const orderId = newOrderId();
  // Act
  const { watcher, err } = collectingWatcher(orderId, url(orderId), 10);
  const outcome = await watcher.done;
  // Assess
  expect(outcome).toMatchObject({
    kind: "refused",
    statusCode,
    message: expect.stringMatching(new RegExp(`refused the connection with HTTP ${statusCode}: `)),
  });
  expect(err).toEqual([]);
});

it("gives up, saying what is wrong, when no connection ever opens", async () => {
  // Prepare: a port where nothing listens
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as import("node:net").AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const orderId = newOrderId();
  const url = `ws://127.0.0.1:${port}/local?orderId=${orderId}&token=secret-token`;
  // Act
  const { watcher, err } = collectingWatcher(orderId, url, 10);
  const outcome = await watcher.done;
  // Assess: five tries, four waits between them, and one sentence without the token
  expect(err.filter((l) => l.includes("reconnecting in"))).toHaveLength(4);
  expect(outcome).toEqual({
    kind: "unreachable",
    message: expect.stringMatching(
      new RegExp(
        `^cannot connect to ws://127\\.0\\.0\\.1:${port}/local \\(connect ECONNREFUSED [^;]+; 5 tries over [\\d.]+ s\\): is \`npm start\` running, and is the URL right\\?$`,
      ),
    ),
  });
  expect((outcome as { message: string }).message).not.toContain("secret-token");
});

it("ends with expired, without a connection, when the link's token has run out", async () => {
  // Prepare: a token signed two days ago (its expiry is readable without the secret)
  const orderId = newOrderId();
  const token = CallbackToken.sign({
    orderId,
    stage: runtime.state.stage,
    secret: "any-secret-0123456789abcdefghijklmnopq",
    now: new Date(Date.now() - 2 * 86_400_000),
  });
  const url = CallbackToken.callbackUrl({ websocketUrl: runtime.state.endpoints.websocket, orderId, token });
  // Act
  const { watcher, err } = collectingWatcher(orderId, url, 10);
  const outcome = await watcher.done;
  // Assess
  expect(outcome).toEqual({
    kind: "expired",
    message: expect.stringMatching(/^the callback URL expired at \d{4}-\d\d-\d\dT.*Z: /),
  });
  expect(err).toEqual([]);
  expect(runtime.gateway.connections()).toEqual([]);
});
