/**
 * What `pending` means — "statuses no client has received yet" — under the races of the callback
 * path: a delivered status never stays marked, whoever delivered it and whenever the first delivery's
 * mark lands; a duplicate or replay of a status a client received never marks it again.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

let table: Awaited<ReturnType<typeof createCallbackTable>>;
let connections: ConnectionsServer;
let store: CallbackStore;
let deps: Callbacks.CallbackDeps;

beforeAll(async () => {
  table = await createCallbackTable();
  connections = await startConnectionsServer("test");
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  // Posts that hang give up soon: the first delivery below is held between its record and its mark.
  deps = {
    store,
    management: Aws.managementClient(connections.endpoint, 50, { connectionTimeoutMs: 500, requestTimeoutMs: 1_000 }),
  };
});
afterAll(async () => {
  await connections.stop();
  await table.drop();
});
beforeEach(() => connections.reset());

const placed = (orderId: string): OrderStatus.StatusRecord => ({
  orderId,
  status: "placed",
  occurredAt: "2026-11-26T10:00:00.000Z",
});
const pendingOf = async (orderId: string) =>
  (await store.listPending()).filter((e) => e.orderId === orderId).map((e) => e.status);

async function subscribed(orderId: string, { open = true } = {}) {
  const connectionId = `${randomUUID()}=`;
  await store.addConnection({ orderId, connectionId, maxConnections: 10 });
  if (open) connections.open(connectionId);
  return connectionId;
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("pending marks", () => {
  it("a replay of a status a client received, with nobody listening any more, does not mark it", async () => {
    // Prepare: delivered to the client, who then left (the order completed)
    const orderId = randomUUID();
    const connectionId = await subscribed(orderId);
    const first = await Callbacks.publishStatus(deps, placed(orderId));
    await store.removeConnection({ orderId, connectionId });
    // Act: an operator replays the window
    const replayed = await Callbacks.publishStatus(deps, placed(orderId));
    // Assess
    expect([first.delivered, replayed.duplicate, replayed.pending]).toEqual([1, true, false]);
    expect(await pendingOf(orderId)).toEqual([]);
  });

  it("a status nobody took is marked once, and a duplicate that reaches a client clears it", async () => {
    const orderId = randomUUID();
    const first = await Callbacks.publishStatus(deps, placed(orderId));
    const markedBefore = await pendingOf(orderId);
    await subscribed(orderId);
    await Callbacks.publishStatus(deps, placed(orderId));
    expect([first.pending, markedBefore]).toEqual([true, ["placed"]]);
    expect(await pendingOf(orderId)).toEqual([]);
  });

  it("a status nobody heard stays pending when the sync meant to hand it over cannot post it, and goes with the next", async () => {
    // Prepare: recorded before anyone listened (pending without a mark); the client's posts are refused
    const orderId = randomUUID();
    await Callbacks.publishStatus(deps, placed(orderId));
    const client = await subscribed(orderId);
    connections.failWith(client, 403, { times: 1 });
    // Act
    const failed = await Callbacks.sync(deps, { connectionId: client, orderId, after: 0 });
    const afterFailure = await pendingOf(orderId);
    await Callbacks.sync(deps, { connectionId: client, orderId, after: 0 });
    // Assess
    expect(failed).toMatchObject({ kind: "synced", sent: 0, outcome: "rejected" });
    expect(afterFailure).toEqual(["placed"]);
    expect(await pendingOf(orderId)).toEqual([]);
    expect(
      connections
        .framesFor(client)
        .filter((f) => f.type === "status")
        .map((f) => f.seq),
    ).toEqual([1]);
  });

  it.each([
    ["a sync", (orderId: string, connectionId: string) => Callbacks.sync(deps, { connectionId, orderId, after: 0 })],
    ["a duplicate of the event", (orderId: string) => Callbacks.publishStatus(deps, placed(orderId))],
  ])("%s delivering the status before the first delivery's mark lands leaves it unmarked", async (_name, deliver) => {
    // Prepare: the first delivery's only listener hangs, so it is held between its record and its mark
    const orderId = randomUUID();
    const hanging = await subscribed(orderId, { open: false });
    connections.hang(hanging);
    // (its post times out: retryable, after marking what it could)
    const firstDelivery = Callbacks.publishStatus(deps, placed(orderId)).catch(() => undefined);
    await until(() => connections.attemptsFor(hanging) > 0);
    connections.reset(); // that post stays unanswered; later ones to the socket get 410 (not open yet)
    // Act: meanwhile a client gets the status another way, before the mark is written
    const client = await subscribed(orderId);
    await deliver(orderId, client);
    await firstDelivery;
    // Assess
    expect(
      connections
        .framesFor(client)
        .filter((f) => f.type === "status")
        .map((f) => f.seq),
    ).toEqual([1]);
    expect(await pendingOf(orderId)).toEqual([]);
  });
});
