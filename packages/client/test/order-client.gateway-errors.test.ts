/**
 * API Gateway's `Internal server error` frame (the sync route's function failed) against npm start's
 * gateway: the client takes it for the end of its sync and asks again, with backoff, on the same
 * socket. (Its throttle frame: order-client.test.ts; `Forbidden` cannot happen with the stage's
 * `$default` route, and order-timeline.test.ts reads every shape.)
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as OrderStatus from "@awsomepets/core/status/event";
import { callbackUrl, newOrderId, NO_THROTTLES, startTestRuntime, untilRecorded } from "@test-support/local-runtime";
import { watchOrder, type StatusFrame } from "../src/order-client";

/** Orders whose next sync fails in the function, as a crash or a timeout would. */
const failNextSync = new Set<string>();
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let events: EventBridgeClient;
beforeAll(async () => {
  runtime = await startTestRuntime(
    { throttles: NO_THROTTLES },
    {
      overrideHandlers: {
        // A rejection reaches the gateway as the function's failure; `undefined` lets the runtime invoke
        // the real handler in its execution environment (start-runtime.ts: override ?? the module's).
        OrderWSPendingFunction: (event) => {
          const orderId =
            (event as { requestContext: { authorizer?: { orderId?: string } } }).requestContext.authorizer?.orderId ??
            "";
          return failNextSync.delete(orderId)
            ? Promise.reject(new Error("injected failure"))
            : (undefined as unknown as Promise<unknown>);
        },
      },
    },
  );
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

async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the order client and API Gateway's error frame", () => {
  it("asks again after `Internal server error`, on the same socket, and gets every status", async () => {
    // Prepare: `placed` recorded (a sync of its own sees it), the client's first sync set to fail
    const orderId = newOrderId();
    const url = callbackUrl(runtime.state.endpoints.websocket, orderId);
    await events.send(
      new PutEventsCommand({
        Entries: [
          OrderStatus.toPutEventsEntry(
            { orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
            runtime.state.eventBusName,
          ),
        ],
      }),
    );
    await untilRecorded(url, 1); // else `placed` could come pushed, not as a sync's answer
    const said: string[] = [];
    const statuses: StatusFrame[] = [];
    const frames: string[] = [];
    failNextSync.add(orderId);
    // Act
    const client = watchOrder({
      url,
      syncDelay: () => 50,
      createSocket: (u) => {
        const socket = new WebSocket(u);
        socket.addEventListener("message", (e) => frames.push(String(e.data)));
        return socket;
      },
      events: {
        onStatus: (frame) => statuses.push(frame),
        onServerError: (code, message) => said.push(`${code}: ${message}`),
        onRateLimited: (message) => said.push(`rate_limited: ${message}`),
      },
    });
    await until(() => statuses.length === 1, "placed, answering a second sync");
    client.stop();
    await client.closed;
    // Assess
    expect(JSON.parse(frames[0]!)).toMatchObject({ message: "Internal server error" });
    expect(said).toEqual(["gateway: Internal server error"]);
    expect(statuses.map((s) => [s.seq, s.status])).toEqual([[1, "placed"]]);
    expect(client.opens).toBe(1);
  });
});
