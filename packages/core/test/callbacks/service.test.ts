/**
 * What the callback path costs, counted in DynamoDB requests through a real SDK client against a real
 * engine, with a real `@connections` HTTP stand-in: one write per delivered status in the callback
 * (the projection adds its one write), flat in the number of connections, and no more when nobody
 * listens (pending by derivation); one write per sync (two in a burst), a pending status handed over
 * included; a second only where posts failed or a mark has to move; one write, and no post but one `rate_limited` per streak, for a
 * refused message.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { countingDocumentClient, createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

let table: Awaited<ReturnType<typeof createCallbackTable>>;
let connections: ConnectionsServer;
const counting = countingDocumentClient();
let deps: Callbacks.CallbackDeps;
let setupStore: CallbackStore;

beforeAll(async () => {
  table = await createCallbackTable();
  connections = await startConnectionsServer("test");
  // The SDK's own configuration chain, as deployed; the stand-in checks no signature.
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  setupStore = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  deps = {
    store: new CallbackStore({ client: counting.client, tableName: table.tableName }),
    management: Aws.managementClient(connections.endpoint),
    syncRate: { perSecond: 1, burst: 2 },
  };
});
afterAll(async () => {
  await connections.stop();
  await table.drop();
});
beforeEach(() => {
  connections.reset();
  counting.reset();
});

const status = (orderId: string, s: OrderStatus.Status, second = 0): OrderStatus.StatusRecord => ({
  orderId,
  status: s,
  occurredAt: `2026-11-26T10:00:0${second}.000Z`,
});

async function listening(orderId: string, count: number) {
  const ids = Array.from({ length: count }, (_, i) => `c${i}-${randomUUID()}=`);
  for (const connectionId of ids) await setupStore.addConnection({ orderId, connectionId, maxConnections: 1000 });
  connections.open(...ids);
  return ids;
}

describe("DynamoDB requests of the callback path", () => {
  it.each([1, 10, 100])("a delivered status costs 1 request with %i connection(s)", async (count) => {
    // Prepare
    const orderId = randomUUID();
    const ids = await listening(orderId, count);
    // Act
    const result = await Callbacks.publishStatus(deps, status(orderId, "placed"));
    // Assess
    expect(result.delivered).toBe(count);
    expect(connections.posts).toHaveLength(count);
    expect(counting.counts).toEqual({ UpdateItem: 1 });
    expect(ids).toHaveLength(count);
  });

  it("a status no one listens to costs 1 request: the record, which leaves it pending", async () => {
    const orderId = randomUUID();
    const result = await Callbacks.publishStatus(deps, status(orderId, "placed"));
    expect(result.pending).toBe(true);
    expect(counting.counts).toEqual({ UpdateItem: 1 });
    expect([...(await setupStore.readOrder(orderId)).pending]).toEqual(["placed"]);
  });

  it("a status whose every post fails costs 2 requests: the record and the pending mark", async () => {
    // Prepare: a listener API Gateway refuses posts to (403: a broken grant, say)
    const orderId = randomUUID();
    const [connectionId] = await listening(orderId, 1);
    connections.failWith(connectionId!, 403);
    counting.reset();
    // Act
    const result = await Callbacks.publishStatus(deps, status(orderId, "placed"));
    // Assess
    expect([result.delivered, result.pending]).toEqual([0, true]);
    expect(counting.counts).toEqual({ UpdateItem: 2 });
    expect([...(await setupStore.readOrder(orderId)).marked]).toEqual(["placed"]);
  });

  it("a first sync that hands over a pending status costs 1 request; a later one 1, one in a burst 2", async () => {
    // Prepare: `placed` was published before the browser connected (the usual order of events)
    const orderId = randomUUID();
    await Callbacks.publishStatus(deps, status(orderId, "placed"));
    const [connectionId] = await listening(orderId, 1);
    let offsetMs = 0;
    const clocked = {
      ...deps,
      store: new CallbackStore({
        client: counting.client,
        tableName: table.tableName,
        now: () => new Date(Date.now() + offsetMs),
      }),
    };
    const costOf = async (run: () => Promise<unknown>) => {
      counting.reset();
      const result = await run();
      return [result, { ...counting.counts }] as const;
    };
    // Act
    const [first, firstCost] = await costOf(() =>
      Callbacks.sync(clocked, { connectionId: connectionId!, orderId, after: 0 }),
    );
    const [inBurst, inBurstCost] = await costOf(() =>
      Callbacks.sync(clocked, { connectionId: connectionId!, orderId, after: 1 }),
    );
    offsetMs = 60_000; // the bucket is idle again
    const [later, laterCost] = await costOf(() =>
      Callbacks.sync(clocked, { connectionId: connectionId!, orderId, after: 1 }),
    );
    // Assess
    expect(first).toMatchObject({ kind: "synced", sent: 1, lastSeq: 1 });
    expect([inBurst, later]).toMatchObject([
      { kind: "synced", sent: 0, lastSeq: 1 },
      { kind: "synced", sent: 0, lastSeq: 1 },
    ]);
    expect([firstCost, inBurstCost, laterCost]).toEqual([{ UpdateItem: 1 }, { UpdateItem: 2 }, { UpdateItem: 1 }]);
    expect([...(await setupStore.readOrder(orderId)).pending]).toEqual([]);
  });

  it("a sync that does not name its order is for the connection's own (the authorizer's context), at no extra request", async () => {
    const orderId = randomUUID();
    const [connectionId] = await listening(orderId, 1);
    counting.reset();
    const result = await Callbacks.sync(deps, { connectionId: connectionId!, connectionOrderId: orderId, after: 0 });
    expect(result).toMatchObject({ kind: "synced", orderId, lastSeq: 0 });
    expect(counting.counts).toEqual({ UpdateItem: 1 });
  });

  it("a rate-limited message costs one write and no status post, and is said once", async () => {
    // Prepare
    const orderId = randomUUID();
    const [connectionId] = await listening(orderId, 1);
    await Callbacks.publishStatus(deps, status(orderId, "placed"));
    counting.reset();
    connections.reset();
    // Act: burst 2, then 8 more at once
    const results = [];
    for (let i = 0; i < 10; i++)
      results.push(
        await Callbacks.answerMessage(deps, { connectionId: connectionId!, body: `{"orderId":"${orderId}"}` }),
      );
    // Assess: the idle sync 1 write, the one in the burst 2 (it is charged), each refusal 1
    expect(results.map((r) => r.kind)).toEqual(["synced", "synced", ...Array(8).fill("rate_limited")]);
    expect(counting.counts).toEqual({ UpdateItem: 1 + 2 + 8 });
    const frames = connections.framesFor(connectionId!);
    expect(frames.filter((f) => f.type === "error").map((f) => f.code)).toEqual(["rate_limited"]);
    expect(frames.filter((f) => f.type === "status")).toHaveLength(2);
  });

  it("a message naming an order the socket does not hold writes that order once, after charging its own bucket", async () => {
    // Prepare: the victim's order has a status and a listener of its own; the caller holds another order
    const [victim, own] = [randomUUID(), randomUUID()];
    await listening(victim, 1);
    await Callbacks.publishStatus(deps, status(victim, "placed"));
    const [connectionId] = await listening(own, 1);
    const keys = orderKeysWritten();
    counting.reset();
    // Act
    const result = await Callbacks.answerMessage(deps, {
      connectionId: connectionId!,
      connectionOrderId: own,
      body: `{"orderId":"${victim}"}`,
    });
    // Assess: the caller's own bucket first, then one failed condition on the victim's item
    expect(result).toMatchObject({ kind: "not_subscribed", orderId: victim });
    expect(keys.written).toEqual([own, victim]);
    expect(counting.counts).toEqual({ UpdateItem: 2 });
    keys.stop();
  });

  it("a rate-limited socket naming another order writes nothing on that order", async () => {
    // Prepare: the caller's bucket (burst 2) emptied by syncs of its own order
    const [victim, own] = [randomUUID(), randomUUID()];
    await Callbacks.publishStatus(deps, status(victim, "placed"));
    const [connectionId] = await listening(own, 1);
    for (let i = 0; i < 3; i++)
      await Callbacks.answerMessage(deps, { connectionId: connectionId!, connectionOrderId: own, body: "{}" });
    const keys = orderKeysWritten();
    counting.reset();
    // Act
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(
        await Callbacks.answerMessage(deps, {
          connectionId: connectionId!,
          connectionOrderId: own,
          body: `{"orderId":"${victim}"}`,
        }),
      );
    // Assess: each refusal is one write on the caller's own item
    expect(results.map((r) => r.kind)).toEqual(Array(5).fill("rate_limited"));
    expect(keys.written).toEqual(Array(5).fill(own));
    keys.stop();
  });
});

/** The order ids of the UpdateItems the counted client sends from now until stop(). */
function orderKeysWritten() {
  const written: string[] = [];
  const name = `orderKeys-${randomUUID()}`;
  counting.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: Record<string, unknown> };
      if (context.commandName === "UpdateItemCommand" && input.Key) written.push(orderIdOf(input.Key));
      return next(args);
    },
    { step: "initialize", name },
  );
  return { written, stop: () => counting.client.middlewareStack.remove(name) };
}

/** The key, marshalled or not (whichever the document client's middleware has done by then). */
const orderIdOf = (key: Record<string, unknown>) => {
  const value = key[CallbackTable.PARTITION_KEY];
  return typeof value === "string" ? value : String((value as { S?: string }).S);
};
