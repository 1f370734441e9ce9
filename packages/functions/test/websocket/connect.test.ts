import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEvent, disconnectEvent } from "../support/events";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { MAX_CONNECTIONS_PER_ORDER, startHarness, TOKEN_SECRET, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("OrderWSConnectFunction ($connect)", () => {
  it("admits a socket whose token is valid for its order and stores its row", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const result = await h.handlers.connect(connectEvent("ok-1=", { orderId, token: h.token(orderId) }));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    expect(await h.liveConnectionIds(orderId)).toEqual(["ok-1="]);
    expect(h.connections.posts).toEqual([]); // nothing is ever posted during $connect
  });

  const refusals: Array<[string, (orderId: string) => Record<string, string> | null, number]> = [
    ["no query string at all (null)", () => null, 400],
    ["no order id", (orderId) => ({ token: h.token(orderId) }), 400],
    ["an order id that is not a UUID", () => ({ orderId: "1234", token: "x" }), 400],
    ["no token", (orderId) => ({ orderId }), 401],
    ["an empty token", (orderId) => ({ orderId, token: "" }), 401],
    ["a malformed token", (orderId) => ({ orderId, token: "abc" }), 403],
    ["an expired token", (orderId) => ({ orderId, token: h.token(orderId, 60, new Date(Date.now() - 3600_000)) }), 403],
    [
      "a forged token",
      (orderId) => ({
        orderId,
        token: `v2.${CallbackToken.keyIdOf(TOKEN_SECRET)}.${Math.floor(Date.now() / 1000) + 600}.${"A".repeat(43)}`,
      }),
      403,
    ],
    [
      "a forged token of the legacy shape",
      (orderId) => ({ orderId, token: `${Math.floor(Date.now() / 1000) + 600}.${"A".repeat(43)}` }),
      403,
    ],
    ["another order's token", (orderId) => ({ orderId, token: h.token(randomUUID()) }), 403],
    [
      "another stage's token",
      (orderId) => ({ orderId, token: CallbackToken.sign({ orderId, stage: "prod", secret: TOKEN_SECRET }) }),
      403,
    ],
  ];

  it.each(refusals)("refuses %s and writes nothing", async (_name, query, statusCode) => {
    // Prepare
    const orderId = randomUUID();
    const connectionId = `refused-${randomUUID()}=`;
    // Act
    const result = await h.handlers.connect(connectEvent(connectionId, query(orderId)));
    // Assess
    expect(result.statusCode).toBe(statusCode);
    expect(result.body).toBeTruthy();
    expect(await h.liveConnectionIds(orderId)).toEqual([]);
  });

  it("checks the token against the order the authorizer admitted, not the query's", async () => {
    // Prepare: the query names an order and carries its valid token; the authorizer's context names another
    const [queried, admitted] = [randomUUID(), randomUUID()];
    // Act
    const result = await h.handlers.connect(
      connectEvent("mismatch=", { orderId: queried, token: h.token(queried) }, admitted),
    );
    const withoutContext = await h.handlers.connect(
      connectEvent("no-context=", { orderId: queried, token: h.token(queried) }, ""),
    );
    // Assess
    expect(result).toEqual({ statusCode: 403, body: "token is forged" });
    expect(withoutContext.statusCode).toBe(400);
    expect([...(await h.liveConnectionIds(queried)), ...(await h.liveConnectionIds(admitted))]).toEqual([]);
  });

  it("refuses the socket past the order's cap with 429, and admits one again after a $disconnect", async () => {
    // Prepare: the order already has as many sockets as it may
    const orderId = randomUUID();
    const ids = Array.from({ length: MAX_CONNECTIONS_PER_ORDER }, (_, i) => `cap-${i}-${randomUUID()}=`);
    for (const id of ids) await h.handlers.connect(connectEvent(id, { orderId, token: h.token(orderId) }));
    // Act
    const refused = await h.handlers.connect(connectEvent("one-too-many=", { orderId, token: h.token(orderId) }));
    await h.handlers.disconnect(disconnectEvent(ids[0]!, orderId));
    const admitted = await h.handlers.connect(connectEvent("next=", { orderId, token: h.token(orderId) }));
    // Assess
    expect(refused).toMatchObject({
      statusCode: 429,
      body: expect.stringContaining(`at most ${MAX_CONNECTIONS_PER_ORDER}`),
    });
    expect(admitted).toEqual({ statusCode: 200 });
    expect(await h.liveConnectionIds(orderId)).toHaveLength(MAX_CONNECTIONS_PER_ORDER);
  });

  it("at the cap, frees the places of sockets API Gateway says are closed (no $disconnect came), and admits", async () => {
    // Prepare: the order is full of sockets that synced, then died without $disconnect
    const orderId = randomUUID();
    const ids = Array.from({ length: MAX_CONNECTIONS_PER_ORDER }, (_, i) => `dead-${i}-${randomUUID()}=`);
    for (const id of ids) {
      await h.handlers.connect(connectEvent(id, { orderId, token: h.token(orderId) }));
      await h.store.admitMessage({ orderId, connectionId: id, rate: SyncRateLimit.DEFAULT_SYNC_RATE });
    }
    h.connections.open(ids[0]!); // one of them is still open
    h.connections.reset();
    // Act
    const result = await h.handlers.connect(connectEvent("fresh=", { orderId, token: h.token(orderId) }));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    expect(await h.liveConnectionIds(orderId)).toEqual([ids[0]!, "fresh="].sort());
    expect([...new Set(h.connections.gets)].sort()).toEqual([...ids].sort());
  });

  it("answers 400 to an event that is not an API Gateway event", async () => {
    expect(await h.handlers.connect({ nonsense: true })).toMatchObject({ statusCode: 400 });
  });
});
