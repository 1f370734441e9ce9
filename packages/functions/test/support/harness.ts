/**
 * Runs the deployed handler modules against real parts: the run's dynalite through the real SDK
 * (reached the way deployed code is configured: `AWS_ENDPOINT_URL_DYNAMODB`), and a real HTTP
 * `@connections` stand-in. Configuration goes in through the same variables the stack sets.
 */
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { startConnectionsServer } from "@test-support/connections-server";
import { createCallbackTable, dynamodbEndpoint, testDocumentClient } from "@test-support/dynamodb";
import { ORIGIN_VERIFY } from "./events";

/** Above the 50-socket fan-out test, below what a flood test opens. */
export const MAX_CONNECTIONS_PER_ORDER = Tunables.TUNABLES.maxConnectionsPerOrder.max;

export const TOKEN_SECRET = "test-secret-test-secret-test-secret-0123";
export const STAGE = "test";

export async function startHarness() {
  const table = await createCallbackTable();
  const connections = await startConnectionsServer("test");
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint(),
    // No SDK retries: a throttled post must surface at once in these tests.
    AWS_MAX_ATTEMPTS: "1",
    [Topology.ENV.clientCallbackTable]: table.tableName,
    [Topology.ENV.managementEndpoint]: connections.endpoint,
    [Topology.ENV.maxConnectionsPerOrder]: String(MAX_CONNECTIONS_PER_ORDER),
    SST_APP: "awsomepets-callbacks",
    SST_STAGE: "test",
    SST_Secret_value_CallbackTokenSecret: TOKEN_SECRET,
    [Topology.ENV.stage]: STAGE,
    [Topology.ENV.stageKeepsData]: "true",
    [Topology.ENV.originVerify]: ORIGIN_VERIFY,
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  const handlers = {
    connect: (await import("../../src/websocket/connect")).handler,
    disconnect: (await import("../../src/websocket/disconnect")).handler,
    sync: (await import("../../src/websocket/sync")).handler,
    callback: (await import("../../src/events/order-status-callback")).handler,
  };
  const store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  return {
    handlers,
    store,
    connections,
    table,
    /** The connection ids listening to an order now, as the order's item says. */
    liveConnectionIds: async (orderId: string) =>
      (await store.readOrder(orderId)).connections.map((c) => c.connectionId).sort(),
    token: (orderId: string, ttlSeconds?: number, now?: Date) =>
      CallbackToken.sign({ orderId, stage: STAGE, secret: TOKEN_SECRET, ttlSeconds, now }),
    stop: async () => {
      await connections.stop();
      await table.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;
