/**
 * A 410 is news about the moment of its post, and the callback acts on it later: on a loaded Lambda
 * or a slow table, its `removeGoneConnection` write can land after the socket has opened and synced.
 * A connection whose post answered 410 while it was still in `$connect` must then stay subscribed:
 * removing it leaves an open, synced client that is never posted to again, and the order's LAST
 * status — which leaves no gap for the client to notice — never reaches it (seen in the cost bench
 * on DynamoDB Local: frames `paid#3 placed#1 reserved#2 paid#3 synced`, never `completed#4`).
 * The interleaving is made deterministic by holding the callback's removal write until the sync is done.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

/** The real store, with its 410 removals held until `release()`: a slow callback invocation. */
class HeldRemovals extends CallbackStore {
  private held: Array<() => void> = [];
  heldCount = () => this.held.length;
  release() {
    for (const go of this.held.splice(0)) go();
  }
  override async removeGoneConnection(...args: Parameters<CallbackStore["removeGoneConnection"]>) {
    await new Promise<void>((go) => this.held.push(go));
    return super.removeGoneConnection(...args);
  }
}

let table: Awaited<ReturnType<typeof createCallbackTable>>;
let connections: ConnectionsServer;
let management: ReturnType<typeof Aws.managementClient>;

beforeAll(async () => {
  table = await createCallbackTable();
  connections = await startConnectionsServer("test");
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  management = Aws.managementClient(connections.endpoint);
});
afterAll(async () => {
  management.destroy();
  await connections.stop();
  await table.drop();
});
beforeEach(() => connections.reset());

const detail = (orderId: string, status: OrderStatus.Status, second: number): OrderStatus.StatusRecord => ({
  orderId,
  status,
  occurredAt: `2026-11-26T10:00:0${second}.000Z`,
});

it("a 410 from while the socket was in $connect, acted on after its sync, keeps the connection: the last status still reaches it", async () => {
  // Prepare: `placed` before anyone listens; then the browser's $connect is written (not open yet: posts answer 410)
  const orderId = randomUUID();
  const connectionId = `browser-${randomUUID()}=`;
  const slow = new HeldRemovals({ client: testDocumentClient(), tableName: table.tableName });
  const store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  const deps = { store, management };
  await Callbacks.publishStatus(deps, detail(orderId, "placed", 0));
  await store.addConnection({ orderId, connectionId, maxConnections: 10 });

  // Act: `reserved` is recorded with the connection listed, its post answers 410 ("not open yet"),
  // and its removal write is slow; meanwhile the socket opens and syncs everything so far
  const reserved = Callbacks.publishStatus({ store: slow, management }, detail(orderId, "reserved", 1));
  await expect.poll(() => slow.heldCount(), { timeout: 15_000 }).toBe(1);
  connections.open(connectionId);
  const synced = await Callbacks.sync(deps, { connectionId, orderId, after: 0 });
  slow.release();
  const reservedResult = await reserved;
  // …then the order's last status
  const completed = await Callbacks.publishStatus(deps, detail(orderId, "completed", 2));

  // Assess
  expect(reservedResult).toMatchObject({ connections: 1, delivered: 0, gone: [connectionId] });
  expect(synced).toMatchObject({ kind: "synced", sent: 2, lastSeq: 2 });
  expect((await store.readOrder(orderId)).connections.map((c) => c.connectionId)).toEqual([connectionId]);
  expect(completed).toMatchObject({ seq: 3, connections: 1, delivered: 1 });
  const received = connections
    .framesFor(connectionId)
    .map((f) => (f.type === "status" ? `${f.status}#${f.seq}` : f.type));
  expect(received).toEqual(["placed#1", "reserved#2", "synced", "completed#3"]);
});

it("a 410 for a connection that had synced before the status was recorded still removes it", async () => {
  // Prepare: an open, synced socket that then dies without $disconnect
  const orderId = randomUUID();
  const connectionId = `dead-${randomUUID()}=`;
  const store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  const deps = { store, management };
  await store.addConnection({ orderId, connectionId, maxConnections: 10 });
  connections.open(connectionId);
  await Callbacks.sync(deps, { connectionId, orderId, after: 0 });
  connections.close(connectionId);
  // Act
  const result = await Callbacks.publishStatus(deps, detail(orderId, "placed", 0));
  // Assess
  expect(result).toMatchObject({ connections: 1, delivered: 0, gone: [connectionId], pending: true });
  expect((await store.readOrder(orderId)).connections).toEqual([]);
});
