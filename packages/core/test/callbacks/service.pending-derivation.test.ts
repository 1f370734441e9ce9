/**
 * "Pending by derivation" — recorded while nobody listened and not read by a message since — decided
 * by the order the item's own writes keep (`lastSeq`, `syncedSeq`), not by comparing the
 * callback's clock with the message handler's: on AWS they are different hosts. Items written by the
 * layout before (`recordedAt` vs `lastSyncedAt`, a deploy mid-order) are still read as it read them.
 */
import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

let table: Awaited<ReturnType<typeof createCallbackTable>>;
let connections: ConnectionsServer;
let store: CallbackStore;

beforeAll(async () => {
  table = await createCallbackTable();
  connections = await startConnectionsServer("test");
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
});
afterAll(async () => {
  await connections.stop();
  await table.drop();
});
beforeEach(() => connections.reset());

const MINUTE = 60_000;
/** The same table as another host sees it: its clock `skewMs` off. */
const hostWithClock = (skewMs: number) => ({
  store: new CallbackStore({
    client: testDocumentClient(),
    tableName: table.tableName,
    now: () => new Date(Date.now() + skewMs),
  }),
  management: Aws.managementClient(connections.endpoint),
});
const detail = (orderId: string, status: OrderStatus.Status): OrderStatus.StatusRecord => ({
  orderId,
  status,
  occurredAt: "2026-11-26T10:00:00.000Z",
});
const pendingOf = async (orderId: string) =>
  (await store.listPending()).filter((e) => e.orderId === orderId).map((e) => e.status);

async function subscribed(orderId: string) {
  const connectionId = `${randomUUID()}=`;
  await store.addConnection({ orderId, connectionId, maxConnections: 10 });
  connections.open(connectionId);
  return connectionId;
}

describe("pending by derivation, whatever the hosts' clocks say", () => {
  it("a status recorded by a callback whose clock runs ahead is not pending once a sync handed it over", async () => {
    // Prepare: recorded with nobody listening, on a host a minute ahead of the message handler's
    const orderId = randomUUID();
    const callbackHost = hostWithClock(+MINUTE);
    const messageHost = hostWithClock(0);
    await Callbacks.publishStatus(callbackHost, detail(orderId, "placed"));
    const before = await pendingOf(orderId);
    const client = await subscribed(orderId);
    // Act
    const synced = await Callbacks.sync(messageHost, { connectionId: client, orderId, after: 0 });
    // Assess
    expect(before).toEqual(["placed"]);
    expect(synced).toMatchObject({ kind: "synced", sent: 1, outcome: "delivered" });
    expect(await pendingOf(orderId)).toEqual([]);
  });

  it("a status recorded after the last sync by a callback whose clock runs behind stays pending", async () => {
    // Prepare: the client synced, then left; the next status is recorded on a host a minute behind
    const orderId = randomUUID();
    const callbackHost = hostWithClock(-MINUTE);
    const messageHost = hostWithClock(0);
    await Callbacks.publishStatus(callbackHost, detail(orderId, "placed"));
    const client = await subscribed(orderId);
    await Callbacks.sync(messageHost, { connectionId: client, orderId, after: 0 });
    await store.removeConnection({ orderId, connectionId: client });
    // Act
    const reserved = await Callbacks.publishStatus(callbackHost, detail(orderId, "reserved"));
    // Assess
    expect(reserved).toMatchObject({ seq: 2, connections: 0, pending: true });
    expect(await pendingOf(orderId)).toEqual(["reserved"]);
    // By derivation, at no write: not read as "synced after" and then marked to make up for it.
    expect((await store.readOrder(orderId)).marked).toEqual(new Set());
  });
});

describe("an order's item written by the layout before (recordedAt and lastSyncedAt)", () => {
  /** The item as the layout before left it: placed read by a sync at `lastSyncedAt`, reserved recorded after, nobody listening. */
  async function legacyItem(orderId: string, connectionId: string) {
    const syncedAt = Date.now() - 10 * MINUTE;
    await testDocumentClient().send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...CallbackTable.orderKey(orderId),
          history: [
            {
              status: "placed",
              occurredAt: "2026-11-26T10:00:00.000Z",
              recordedAt: new Date(syncedAt - MINUTE).toISOString(),
            },
            {
              status: "reserved",
              occurredAt: "2026-11-26T10:00:01.000Z",
              recordedAt: new Date(syncedAt + MINUTE).toISOString(),
            },
          ],
          [CallbackTable.listenersAttribute("placed")]: 0,
          [CallbackTable.listenersAttribute("reserved")]: 0,
          lastSyncedAt: syncedAt,
          handovers: 1,
          connCount: 1,
          [CallbackTable.legacyConnectionAttribute(connectionId)]: {
            connectedAt: syncedAt - 2 * MINUTE,
            syncedAt,
            expiresAt: CallbackTable.epochSeconds(new Date()) + CallbackTable.CONNECTION_TTL_SECONDS,
          },
          [CallbackTable.TTL_ATTRIBUTE]:
            CallbackTable.epochSeconds(new Date()) + CallbackTable.DEFAULT_HISTORY_RETENTION_SECONDS,
        },
      }),
    );
  }

  it("is read as that layout read it: what was recorded after the last sync is pending", async () => {
    const orderId = randomUUID();
    await legacyItem(orderId, `${randomUUID()}=`);
    expect(await pendingOf(orderId)).toEqual(["reserved"]);
  });

  it("a sync admitted by today's layout hands over all of it; a status recorded after is counted and pending", async () => {
    // Prepare
    const orderId = randomUUID();
    const client = `${randomUUID()}=`;
    await legacyItem(orderId, client);
    connections.open(client);
    const deps = hostWithClock(0);
    // Act: the client syncs, leaves, and the next status finds nobody
    const synced = await Callbacks.sync(deps, { connectionId: client, connectionOrderId: orderId, orderId, after: 0 });
    const afterSync = await pendingOf(orderId);
    await store.removeConnection({ orderId, connectionId: client });
    const paid = await Callbacks.publishStatus(deps, detail(orderId, "paid"));
    // Assess
    expect(synced).toMatchObject({ kind: "synced", sent: 2, outcome: "delivered" });
    expect(afterSync).toEqual([]);
    expect(paid).toMatchObject({ seq: 3, pending: true });
    expect(await pendingOf(orderId)).toEqual(["paid"]);
  });

  it("a status recorded by today's layout before any sync is pending next to the old ones, and a sync hands over all", async () => {
    // Prepare
    const orderId = randomUUID();
    const client = `${randomUUID()}=`;
    await legacyItem(orderId, client);
    await store.removeConnection({ orderId, connectionId: client });
    const deps = hostWithClock(0);
    // Act
    await Callbacks.publishStatus(deps, detail(orderId, "paid"));
    const beforeSync = await pendingOf(orderId);
    const next = await subscribed(orderId);
    await Callbacks.sync(deps, { connectionId: next, orderId, after: 0 });
    // Assess
    expect(beforeSync.sort()).toEqual(["paid", "reserved"]);
    expect(await pendingOf(orderId)).toEqual([]);
  });
});
