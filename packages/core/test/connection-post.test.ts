/**
 * The lean `@connections` post (connection-post.ts) against a real HTTP stand-in that verifies SigV4
 * as API Gateway does: the SDK's own commands calibrate the verifier, then our posts must pass it with
 * awkward connection ids, and every kind of answer must be sorted as `classify` promises.
 */
import { GetConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Aws from "../src/aws";
import { postToAll, postToConnection } from "../src/delivery";
import { startConnectionsServer, type ConnectionsServer } from "../../../test/support/connections-server";

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

// API Gateway connection ids are base64-like: `=`, `+` and `/` must survive encoding and signing alike.
const AWKWARD_ID = "L0SM9cOFvHcCIhw=+a/b";

describe("the stand-in's SigV4 check (calibration)", () => {
  it("accepts the SDK's own signed commands", async () => {
    // Prepare
    const client = Aws.managementClient(connections.endpoint);
    connections.open(AWKWARD_ID);
    // Act
    await client.send(new PostToConnectionCommand({ ConnectionId: AWKWARD_ID, Data: new TextEncoder().encode('{"type":"sdk"}') }));
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
    expect(outcome).toMatchObject({ result: "rejected", error: { name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } } });
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
    client.config.credentials = async () => ({ accessKeyId: "local", secretAccessKey: "local", sessionToken: "session-token" });
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

    expect(outcome).toMatchObject({ connectionId: "c1", result, error: { name, $metadata: { httpStatusCode: status } } });
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
