/**
 * The lean `@connections` post (delivery/signed-post.ts) against a real HTTP stand-in that verifies SigV4
 * as API Gateway does: the SDK's own commands calibrate the verifier, then our posts must pass it with
 * awkward connection ids, and every kind of answer must be sorted as `classify` promises.
 */
import { GetConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { Retry } from "@smithy/core/retry";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as Aws from "../../src/platform/aws";
import * as Deadline from "../../src/platform/deadline";
import { postToAll, postToConnection } from "../../src/delivery/fan-out";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";

let connections: ConnectionsServer;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  connections = await startConnectionsServer("test");
});
afterAll(async () => {
  await connections.stop();
  process.env = saved;
});
beforeEach(() => connections.reset());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// API Gateway connection ids are base64-like: `=`, `+` and `/` must survive encoding and signing alike.
const AWKWARD_ID = "L0SM9cOFvHcCIhw=+a/b";

describe("the stand-in's SigV4 check (calibration)", () => {
  it("accepts the SDK's own signed commands", async () => {
    // Prepare
    const client = Aws.managementClient(connections.endpoint);
    connections.open(AWKWARD_ID);
    // Act
    await client.send(
      new PostToConnectionCommand({ ConnectionId: AWKWARD_ID, Data: new TextEncoder().encode('{"type":"sdk"}') }),
    );
    await client.send(new GetConnectionCommand({ ConnectionId: AWKWARD_ID }));
    // Assess
    expect(connections.badSignatures).toEqual([]);
    expect(connections.framesFor(AWKWARD_ID)).toEqual([{ type: "sdk" }]);
  });

  it("refuses a request signed with another secret", async () => {
    // Prepare: a client whose credentials the stand-in does not hold.
    const stranger = Aws.managementClient(connections.endpoint);
    stranger.config.credentials = async () => ({ accessKeyId: "local", secretAccessKey: "not-the-secret" });
    connections.open("c1");
    // Act
    const outcome = await postToConnection(stranger, "c1", '{"type":"status"}');
    // Assess
    expect(outcome).toMatchObject({
      result: "rejected",
      error: { name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } },
    });
    expect(connections.badSignatures).toEqual([expect.stringContaining("signature does not match")]);
    expect(connections.posts).toEqual([]);
  });
});

describe("postToConnection", () => {
  it("delivers the exact bytes, signed as AWS verifies them, to an id with = + and /", async () => {
    const client = Aws.managementClient(connections.endpoint);
    connections.open(AWKWARD_ID);
    const frame = JSON.stringify({ type: "status", status: "reserved", note: "ünïcode ✓" });

    const outcome = await postToConnection(client, AWKWARD_ID, frame);

    expect(outcome).toEqual({ connectionId: AWKWARD_ID, result: "delivered" });
    expect(connections.badSignatures).toEqual([]);
    expect(connections.framesFor(AWKWARD_ID)).toEqual([JSON.parse(frame)]);
  });

  it("signs the session token that Lambda's credentials carry", async () => {
    const client = Aws.managementClient(connections.endpoint);
    client.config.credentials = async () => ({
      accessKeyId: "local",
      secretAccessKey: "local",
      sessionToken: "session-token",
    });
    connections.open("c1");

    const outcome = await postToConnection(client, "c1", "{}");

    expect(outcome.result).toBe("delivered");
    const [request] = connections.requests;
    expect(request?.headers["x-amz-security-token"]).toBe("session-token");
    expect(request?.headers.authorization).toMatch(/SignedHeaders=[a-z0-9;-]*x-amz-security-token/);
    expect(connections.badSignatures).toEqual([]);
  });

  it.each([
    [410, "gone", "GoneException"],
    [403, "rejected", "ForbiddenException"],
  ] as const)("sorts a %i answer as %s, with the SDK's error name, without retrying", async (status, result, name) => {
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", status);

    const outcome = await postToConnection(client, "c1", "{}");

    expect(outcome).toMatchObject({
      connectionId: "c1",
      result,
      error: { name, $metadata: { httpStatusCode: status } },
    });
    expect(connections.attemptsFor("c1")).toBe(1);
  });

  it("retries a throttled post up to the client's maxAttempts (the SDK's default, 3), then calls it retryable", async () => {
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", 429);

    const outcome = await postToConnection(client, "c1", "{}");

    expect(outcome).toMatchObject({ result: "retryable", error: { name: "LimitExceededException" } });
    expect(connections.attemptsFor("c1")).toBe(3);
  });

  it("delivers on a later attempt when a 5xx clears", async () => {
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", 500, { times: 1 });

    const outcome = await postToConnection(client, "c1", '{"n":1}');

    expect(outcome).toEqual({ connectionId: "c1", result: "delivered" });
    expect(connections.attemptsFor("c1")).toBe(2);
    expect(connections.framesFor("c1")).toEqual([{ n: 1 }]);
  });

  it("calls a refused TCP connection retryable", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = Aws.managementClient(`http://127.0.0.1:${port}/test`);
    client.config.maxAttempts = async () => 1;

    const outcome = await postToConnection(client, "c1", "{}");

    expect(outcome).toMatchObject({ result: "retryable", error: expect.objectContaining({ code: "ECONNREFUSED" }) });
  });
});

describe("postToAll", () => {
  it("posts one frame to many ids through the client's keep-alive pool, each outcome its own", async () => {
    const client = Aws.managementClient(connections.endpoint, 8);
    const ids = Array.from({ length: 200 }, (_, i) => `conn-${i}=`);
    connections.open(...ids.slice(0, 150));

    const outcomes = await postToAll(client, ids, '{"type":"status"}', 8);

    expect(outcomes.filter((o) => o.result === "delivered").map((o) => o.connectionId)).toEqual(ids.slice(0, 150));
    expect(outcomes.filter((o) => o.result === "gone").map((o) => o.connectionId)).toEqual(ids.slice(150));
    expect(connections.badSignatures).toEqual([]);
  });
});

describe("a post that gets no answer", () => {
  it("fails as retryable at the request timeout, and does not hold the pool", async () => {
    // Prepare: one socket in the pool, so a post stuck on it would block the next.
    const client = Aws.managementClient(connections.endpoint, 1, { connectionTimeoutMs: 200, requestTimeoutMs: 300 });
    client.config.maxAttempts = async () => 1;
    connections.open("stuck", "fine");
    connections.hang("stuck");
    // Act
    const started = performance.now();
    const stuck = await postToConnection(client, "stuck", "{}");
    const waited = performance.now() - started;
    const fine = await postToConnection(client, "fine", '{"n":2}');
    // Assess
    expect(stuck).toMatchObject({ result: "retryable", error: { name: "TimeoutError" } });
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(fine).toEqual({ connectionId: "fine", result: "delivered" });
    expect(connections.framesFor("fine")).toEqual([{ n: 2 }]);
  });
});

describe("retries, as the SDK's standard retry strategy makes them", () => {
  it("waits at least the SDK's throttling base before retrying a 429", async () => {
    // Prepare: full jitter draws from [0, base); at the top of the range the wait is the base itself.
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", 429, { times: 1 });
    // Act
    const started = performance.now();
    const outcome = await postToConnection(client, "c1", "{}");
    const waited = performance.now() - started;
    // Assess
    expect(outcome.result).toBe("delivered");
    expect(connections.attemptsFor("c1")).toBe(2);
    expect(Retry.throttlingDelay()).toBeGreaterThanOrEqual(500);
    expect(waited).toBeGreaterThanOrEqual(0.9 * Retry.throttlingDelay());
  });

  it("stops retrying throttled posts when the client's retry quota is spent, as the SDK does", async () => {
    // Prepare: no waiting (jitter 0); 60 posts that are always throttled would make 120 retries.
    vi.spyOn(Math, "random").mockReturnValue(0);
    const client = Aws.managementClient(connections.endpoint, 8);
    const ids = Array.from({ length: 60 }, (_, i) => `throttled-${i}`);
    connections.open(...ids);
    for (const id of ids) connections.failWith(id, 429);
    const strategy = (await client.config.retryStrategy()) as unknown as { getCapacity(): number };
    const retriesAffordable = strategy.getCapacity() / Retry.throttlingCost();
    // Act
    const outcomes = await postToAll(client, ids, "{}", 8);
    // Assess: each post once, plus only the retries the quota paid for
    expect(outcomes.every((o) => o.result === "retryable")).toBe(true);
    const attempts = ids.reduce((sum, id) => sum + connections.attemptsFor(id), 0);
    expect(retriesAffordable).toBeLessThan(120);
    expect(attempts).toBe(ids.length + retriesAffordable);
  });
});

describe("a post bounded by a signal", () => {
  it("against a gateway that hangs, ends as retryable when the signal fires, not at the request timeout", async () => {
    // Prepare: the default 5 s request timeout; the signal fires after 200 ms.
    const client = Aws.managementClient(connections.endpoint);
    connections.open("stuck");
    connections.hang("stuck");
    const { signal } = Deadline.deadlineSignal(Date.now() + 200);
    // Act
    const outcome = await postToConnection(client, "stuck", "{}", { signal });
    // Assess: cut by the signal (an AbortError, not the handler's TimeoutError), and not tried again
    expect(outcome).toMatchObject({ result: "retryable", error: { name: "AbortError" } });
    expect(connections.attemptsFor("stuck")).toBe(1);
  });

  it("does not start a retry that the time left cannot fit", async () => {
    // Prepare: a 500 the SDK would retry; less than MIN_ATTEMPT_MS left before the deadline.
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", 500, { times: 1 });
    const { signal, cancel } = Deadline.deadlineSignal(Date.now() + Deadline.MIN_ATTEMPT_MS / 2);
    // Act
    const outcome = await postToConnection(client, "c1", "{}", { signal });
    cancel();
    // Assess
    expect(outcome).toMatchObject({ result: "retryable", error: { $metadata: { httpStatusCode: 500 } } });
    expect(connections.attemptsFor("c1")).toBe(1);
  });

  it("stops waiting for a retry when the signal fires during the backoff", async () => {
    // Prepare: fake timeouts, so that the backoff never ends by itself: only the signal can end it.
    const realSetTimeout = globalThis.setTimeout;
    const realSleep = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const client = Aws.managementClient(connections.endpoint);
    connections.open("c1");
    connections.failWith("c1", 429);
    const controller = new AbortController();
    // Act
    const posting = postToConnection(client, "c1", "{}", { signal: controller.signal });
    while (connections.attemptsFor("c1") === 0) await realSleep(5);
    await realSleep(100); // the 429 is read, the backoff begins
    controller.abort();
    const outcome = await posting;
    // Assess: the last answer is the outcome's cause, and no second attempt was made
    expect(outcome).toMatchObject({ result: "retryable", error: { name: "LimitExceededException" } });
    expect(connections.attemptsFor("c1")).toBe(1);
  });

  it("sends nothing once the signal has fired: a fan-out's queued posts end as retryable", async () => {
    const client = Aws.managementClient(connections.endpoint);
    connections.open("a", "b");
    const controller = new AbortController();
    controller.abort();

    const outcomes = await postToAll(client, ["a", "b"], "{}", 1, { signal: controller.signal });

    expect(outcomes.map((o) => o.result)).toEqual(["retryable", "retryable"]);
    expect(connections.requests).toEqual([]);
  });
});
