/** Real DynamoDB clients (SDK v3 over HTTP) against the run's dynalite, and per-test tables. */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function dynamodbEndpoint() {
  return inject("dynamodbEndpoint");
}

export function testDynamoClient() {
  return new DynamoDBClient({ endpoint: dynamodbEndpoint(), region: "us-east-1", credentials: LOCAL_CREDENTIALS });
}

export function testDocumentClient() {
  return DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
}

/** Creates a fresh ClientCallbackTbl from the core definition; returns its name and a drop(). */
export async function createCallbackTable(prefix = "ClientCallbackTbl") {
  const client = testDynamoClient();
  const tableName = `${prefix}-${randomUUID()}`;
  await client.send(new CreateTableCommand(CallbackTable.createTableInput(tableName)));
  return {
    tableName,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/** A document client that counts the DynamoDB requests it sends, by operation (e.g. `UpdateItem`). */
export function countingDocumentClient() {
  const raw = testDynamoClient();
  const counts: Record<string, number> = {};
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "unknown").replace(/Command$/, "");
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    client,
    counts,
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key];
    },
  };
}
