/**
 * The grace after the invocation's deadline is counted once: a sync cut by the deadline spends it on
 * its clean-up write, and the `internal` answer the handler then sends gets what is left of the same
 * grace, not a fresh one — together they end within one grace, inside the handler's reserve.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import * as Deadline from "@awsomepets/core/platform/deadline";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

let table: Awaited<ReturnType<typeof createCallbackTable>>;
let connections: ConnectionsServer;

beforeAll(async () => {
  table = await createCallbackTable();
  connections = await startConnectionsServer("test");
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
});
afterAll(async () => {
  await connections.stop();
  await table.drop();
});

/** The real table for its first `answered` requests, then a table that never answers (until aborted). */
function tableThatStopsAnswering(answered: number) {
  const real = testDocumentClient();
  const sent: string[] = [];
  const client = {
    send(command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }) {
      sent.push(command.constructor.name);
      if (sent.length <= answered) return real.send(command as never, options);
      return new Promise((_, reject) => {
        const signal = options?.abortSignal;
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, sent };
}

const DEADLINE_MS = 300;

it("a sync cut at the deadline and its `internal` answer end together within one grace", async () => {
  // Prepare: `placed` recorded while nobody listened (pending), then a socket whose posts hang
  const orderId = randomUUID();
  const connectionId = `${randomUUID()}=`;
  const store = new CallbackStore({ client: testDocumentClient(), tableName: table.tableName });
  const management = Aws.managementClient(connections.endpoint, 50, {
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 5_000,
  });
  await Callbacks.publishStatus(
    { store, management },
    { orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
  );
  await store.addConnection({ orderId, connectionId, maxConnections: 10 });
  connections.open(connectionId);
  connections.hang(connectionId);
  // The admission is answered; the write that marks what the cut post did not deliver never is.
  const slow = tableThatStopsAnswering(1);
  const deps = { store: new CallbackStore({ client: slow.client, tableName: table.tableName }), management };
  const deadline = Date.now() + DEADLINE_MS;
  const { signal, cancel } = Deadline.deadlineSignal(deadline);
  // Act: what OrderWSPendingFunction does
  await expect(
    Callbacks.answerMessage(deps, { connectionId, connectionOrderId: orderId, body: '{"action":"sync"}' }, { signal }),
  ).rejects.toThrow();
  const cleanUpEnded = Date.now() - deadline;
  await Callbacks.answerFailure(deps, connectionId, { signal });
  const answerEnded = Date.now() - deadline;
  cancel();
  // Assess: the clean-up write was made and waited out the grace; the answer had none left of its own
  expect(slow.sent).toEqual(["UpdateCommand", "UpdateCommand"]);
  expect(cleanUpEnded).toBeGreaterThanOrEqual(Deadline.AFTER_DEADLINE_GRACE_MS - 20);
  expect(answerEnded).toBeLessThan(Deadline.AFTER_DEADLINE_GRACE_MS + 150);
});
