/**
 * A table that never answers, and the invocation's deadline (`signal`): a sync ends in time with an
 * error the handler answers `internal` to, a status delivery in time with an error the platform
 * retries — never a call that outlives the invocation.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Callbacks from "@awsomepets/core/callbacks/service";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import { startConnectionsServer, type ConnectionsServer } from "@test-support/connections-server";
import { LOCAL_CREDENTIALS } from "@test-support/dynamodb";

let silent: Server;
const sockets = new Set<Socket>();
let connections: ConnectionsServer;
let deps: Callbacks.CallbackDeps;

beforeAll(async () => {
  // Accepts connections and never answers: a DynamoDB endpoint that has become very slow.
  silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  connections = await startConnectionsServer("test");
  Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS }),
  );
  deps = {
    store: new CallbackStore({ client, tableName: "ClientCallbackTbl-slow" }),
    management: Aws.managementClient(connections.endpoint),
  };
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await connections.stop();
});

const DEADLINE_MS = 300;

describe("a table that does not answer, within the invocation's deadline", () => {
  it("ends a sync at the signal, and the client is told `internal` in the reserve", async () => {
    // Prepare
    const connectionId = `${randomUUID()}=`;
    connections.open(connectionId);
    await Callbacks.answerFailure(deps, connectionId); // a warm client, as in a warm container
    connections.reset();
    const signal = AbortSignal.timeout(DEADLINE_MS);
    const started = Date.now();
    // Act
    const answering = Callbacks.answerMessage(
      deps,
      { connectionId, connectionOrderId: randomUUID(), body: '{"action":"sync"}' },
      { signal },
    );
    await expect(answering).rejects.toThrow();
    const endedAfter = Date.now() - started;
    await Callbacks.answerFailure(deps, connectionId, { signal });
    // Assess
    expect(endedAfter).toBeLessThan(DEADLINE_MS + 1_000);
    expect(connections.framesFor(connectionId)).toEqual([
      { type: "error", code: "internal", message: expect.any(String) },
    ]);
  });

  it("ends a status delivery at the signal with an error, so that the platform retries it", async () => {
    const signal = AbortSignal.timeout(DEADLINE_MS);
    const started = Date.now();
    await expect(
      Callbacks.publishStatus(
        deps,
        { orderId: randomUUID(), status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
        { signal },
      ),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 1_000);
  });
});
