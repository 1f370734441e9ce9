import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { CallbackTable } from "@awsomepets/core/index";
import { testDocumentClient } from "../../../test/support/dynamodb";
import { connectEvent, disconnectEvent } from "../../../test/support/events";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("OrderWSDisconnectFunction ($disconnect)", () => {
  it("removes only the closing connection's rows, and is idempotent", async () => {
    // Prepare: two sockets on one order, one on another
    const [orderA, orderB] = [randomUUID(), randomUUID()];
    for (const [id, order] of [["a1=", orderA], ["a2=", orderA], ["b1=", orderB]] as const) {
      expect(await h.handlers.connect(connectEvent(id, { orderId: order, token: h.token(order) }))).toEqual({ statusCode: 200 });
    }
    // Act
    const first = await h.handlers.disconnect(disconnectEvent("a1="));
    const second = await h.handlers.disconnect(disconnectEvent("a1="));
    // Assess
    expect([first, second]).toEqual([{ statusCode: 200 }, { statusCode: 200 }]);
    expect(await h.liveConnectionIds(orderA)).toEqual(["a2="]);
    expect(await h.liveConnectionIds(orderB)).toEqual(["b1="]);
  });

  it("undoes a $connect that died after its first write (its lookup item): nothing counted, nothing left", async () => {
    // Prepare: the order has one socket; another's $connect wrote its lookup item and died
    const orderId = randomUUID();
    expect(await h.handlers.connect(connectEvent("whole=", { orderId, token: h.token(orderId) }))).toEqual({ statusCode: 200 });
    const expiresAt = Math.floor(Date.now() / 1000) + CallbackTable.CONNECTION_TTL_SECONDS;
    await testDocumentClient().send(
      new PutCommand({ TableName: h.table.tableName, Item: { ...CallbackTable.lookupKey("half="), order: orderId, expiresAt } }),
    );
    // Act
    const result = await h.handlers.disconnect(disconnectEvent("half="));
    // Assess
    expect(result).toEqual({ statusCode: 200 });
    const order = await h.store.readOrder(orderId);
    expect([order.connCount, order.connections.map((c) => c.connectionId)]).toEqual([1, ["whole="]]);
    expect(await h.store.orderOfConnection("half=")).toBeUndefined();
  });

  it("answers 400 to a malformed event without throwing", async () => {
    expect(await h.handlers.disconnect({ requestContext: {} })).toEqual({ statusCode: 400 });
  });
});
