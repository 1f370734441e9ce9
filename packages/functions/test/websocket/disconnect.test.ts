import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEvent, disconnectEvent } from "../support/events";
import { startHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("OrderWSDisconnectFunction ($disconnect)", () => {
  it("removes only the closing connection, from the order the authorizer's context names, and is idempotent", async () => {
    // Prepare: two sockets on one order, one on another
    const [orderA, orderB] = [randomUUID(), randomUUID()];
    for (const [id, order] of [
      ["a1=", orderA],
      ["a2=", orderA],
      ["b1=", orderB],
    ] as const) {
      expect(await h.handlers.connect(connectEvent(id, { orderId: order, token: h.token(order) }))).toEqual({
        statusCode: 200,
      });
    }
    // Act
    const first = await h.handlers.disconnect(disconnectEvent("a1=", orderA));
    const second = await h.handlers.disconnect(disconnectEvent("a1=", orderA));
    // Assess
    expect([first, second]).toEqual([{ statusCode: 200 }, { statusCode: 200 }]);
    expect(await h.liveConnectionIds(orderA)).toEqual(["a2="]);
    expect(await h.liveConnectionIds(orderB)).toEqual(["b1="]);
    expect((await h.store.readOrder(orderA)).connCount).toBe(1);
  });

  it("leaves a connection without the authorizer's context to its TTL, answering 200", async () => {
    // Prepare
    const orderId = randomUUID();
    expect(await h.handlers.connect(connectEvent("old=", { orderId, token: h.token(orderId) }))).toEqual({
      statusCode: 200,
    });
    // Act
    const result = await h.handlers.disconnect(disconnectEvent("old="));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    expect(await h.liveConnectionIds(orderId)).toEqual(["old="]);
  });

  it("answers 400 to a malformed event without throwing", async () => {
    expect(await h.handlers.disconnect({ requestContext: {} })).toEqual({ statusCode: 400 });
  });
});
