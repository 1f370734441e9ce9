/**
 * The callback functions when `@connections` fails them: a post that hangs is cut at the invocation's
 * deadline, early enough to mark the status pending and fail for a retry; a refused post (403) is
 * counted in the EMF metric the stage alarms on, by OrderWSCallbackFunction and OrderWSPendingFunction.
 */
import { randomUUID } from "node:crypto";
import * as Metrics from "@awsomepets/core/platform/metrics";
import * as Topology from "@awsomepets/core/platform/topology";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { connectEvent, messageEvent, statusEvent } from "../support/events";
import * as Deadline from "@awsomepets/core/platform/deadline";
import { startHarness, type Harness } from "../support/harness";
import { lambdaContext } from "../support/lambda-context";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.connections.reset());
afterEach(() => vi.restoreAllMocks());

async function connected(orderId: string) {
  const connectionId = `${randomUUID()}=`;
  await h.handlers.connect(connectEvent(connectionId, { orderId, token: h.token(orderId) }));
  h.connections.open(connectionId);
  await h.handlers.sync(messageEvent(connectionId, JSON.stringify({ action: "sync", orderId }), "sync"));
  h.connections.reset();
  return connectionId;
}

describe("a post that hangs past the invocation's deadline", () => {
  it("is cut by the handler's signal (not the 5 s request timeout); the status is marked pending and the event fails for a retry", async () => {
    // Prepare: 300 ms beyond the handler's reserve
    const orderId = randomUUID();
    const connectionId = await connected(orderId);
    h.connections.hang(connectionId);
    const event = statusEvent({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });
    // Act
    const invocation = h.handlers.callback(
      event,
      lambdaContext("OrderWSCallbackFunction", Deadline.DEADLINE_RESERVE_MS + 300),
    );
    // Assess: cut by the signal (AbortError), not by the request timeout (TimeoutError)
    await expect(invocation).rejects.toMatchObject({
      name: "RetryableDeliveryError",
      message: expect.stringContaining("(first: AbortError"),
    });
    expect(h.connections.attemptsFor(connectionId)).toBe(1);
    expect((await h.store.listPending()).filter((e) => e.orderId === orderId).map((e) => e.status)).toEqual(["placed"]);
  });
});

/** A handler module loaded again with metrics on, and the EMF lines it prints while `act` runs. */
async function withEmf<T>(load: () => Promise<T>, act: (module: T) => Promise<unknown>) {
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
  vi.resetModules();
  const module = await load();
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: any, ...rest: any[]) => {
    if (!String(chunk).includes('"_aws"')) return write(chunk, ...rest);
    lines.push(String(chunk));
    return true;
  });
  try {
    await act(module);
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line));
}

/** The EMF object that carries PostsRejected, in the namespace and under the dimension the alarm watches. */
function expectPostsRejected(emf: any[], value: number) {
  const metric = emf.find((m) => Metrics.POSTS_REJECTED in m);
  expect(metric).toMatchObject({
    [Metrics.POSTS_REJECTED]: value,
    service: Topology.SERVICES.callbacks,
    _aws: { CloudWatchMetrics: [{ Namespace: Topology.METRICS_NAMESPACE, Dimensions: [["service"]] }] },
  });
  expect(metric._aws.CloudWatchMetrics[0].Metrics).toContainEqual({
    Name: Metrics.POSTS_REJECTED,
    Unit: "Count",
  });
}

describe("a post @connections refuses with 403", () => {
  it("is counted as PostsRejected by OrderWSCallbackFunction, which delivers to the other connections", async () => {
    // Prepare
    const orderId = randomUUID();
    const refused = await connected(orderId);
    const fine = await connected(orderId);
    h.connections.failWith(refused, 403);
    // Act
    let result: unknown;
    const emf = await withEmf(
      () => import("../../src/events/order-status-callback"),
      async ({ handler }) =>
        (result = await handler(statusEvent({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }))),
    );
    // Assess
    expect(result).toMatchObject({ accepted: true });
    expect(h.connections.framesFor(fine)).toHaveLength(1);
    expectPostsRejected(emf, 1);
  });

  it("is counted as PostsRejected by the sync handler when a sync's post is refused", async () => {
    // Prepare: a status to sync, and a socket whose posts are refused
    const orderId = randomUUID();
    await h.store.recordStatus({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });
    const connectionId = await connected(orderId);
    h.connections.failWith(connectionId, 403);
    // Act
    const emf = await withEmf(
      () => import("../../src/websocket/sync"),
      ({ handler }) =>
        handler(messageEvent(connectionId, JSON.stringify({ action: "sync", orderId, after: 0 }), "sync")),
    );
    // Assess
    expectPostsRejected(emf, 1);
  });
});
