/**
 * The stage's throttles, a token bucket per route as API Gateway keeps them: `$connect` beyond its
 * bucket is refused with 429 before the function runs, a message beyond its route's bucket gets a
 * "Too Many Requests" frame and the connection stays open; one bucket running dry leaves the others be.
 */
import { describe, expect, it } from "vitest";
import { lastConnectionId, openClient, refusedHandshake, startTestGateway } from "../support/gateway";

/** Refills so slowly that no token comes back during a test. */
const bucket = (burstLimit: number) => ({ rateLimit: 0.001, burstLimit });

describe("a burst of connects beyond the $connect bucket", () => {
  it("is refused with 429 Too Many Requests without running $connect, while messages still pass", async () => {
    // Prepare
    const { gateway, callsTo, logs } = await startTestGateway({
      throttles: { default: bucket(10), routes: { $connect: bucket(3) } },
    });
    const first = await openClient(gateway.url);

    // Act
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => openClient(gateway.url)));
    const refusals = await Promise.all(Array.from({ length: 2 }, () => refusedHandshake(gateway.url)));
    first.socket.send(JSON.stringify({ action: "sync" }));

    // Assess: the bucket held 3; the first took one, two of the five got the rest.
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(2);
    expect(refusals).toEqual([
      expect.objectContaining({ statusCode: 429, body: '{"message":"Too Many Requests"}' }),
      expect.objectContaining({ statusCode: 429, body: '{"message":"Too Many Requests"}' }),
    ]);
    expect(callsTo("$connect")).toHaveLength(3);
    expect(logs.filter((record) => record.route === "$connect" && record.status === 429)).toHaveLength(5);
    await expect.poll(() => callsTo("sync")).toHaveLength(1);
    expect(gateway.connections()).toHaveLength(3);
  });
});

describe("a burst of messages beyond the default bucket", () => {
  it("gets Too Many Requests frames for the excess, the connection stays open, and new connects still succeed", async () => {
    // Prepare
    const { gateway, calls, callsTo, logs } = await startTestGateway({
      throttles: { default: bucket(3), routes: { $connect: bucket(10) } },
    });
    const client = await openClient(gateway.url);
    const connectionId = lastConnectionId(calls);

    // Act
    for (let i = 0; i < 5; i++) client.socket.send(JSON.stringify({ action: "sync", i }));
    await expect.poll(() => client.frames).toHaveLength(2);
    const frames = client.frames.map((frame) => JSON.parse(String(frame)));
    const another = await openClient(gateway.url);

    // Assess
    await expect.poll(() => callsTo("sync")).toHaveLength(3);
    for (const frame of frames)
      expect(frame).toEqual({ message: "Too Many Requests", connectionId, requestId: expect.any(String) });
    expect(logs.filter((record) => record.route === "sync" && record.status === 429)).toHaveLength(2);
    expect(another.socket.readyState).toBe(another.socket.OPEN);
    expect(gateway.connections()).toHaveLength(2);
  });

  it("keeps a bucket per route: a route with no tokens left does not starve another", async () => {
    // Prepare
    const { gateway, callsTo } = await startTestGateway({ throttles: { default: bucket(2) } });
    const client = await openClient(gateway.url);

    // Act
    for (let i = 0; i < 3; i++) client.socket.send(JSON.stringify({ action: "sync" }));
    await expect.poll(() => client.frames).toHaveLength(1);
    client.socket.send(JSON.stringify({ action: "unknown-goes-to-default" }));

    // Assess
    await expect.poll(() => callsTo("$default")).toHaveLength(1);
    expect(callsTo("sync")).toHaveLength(2);
  });
});
