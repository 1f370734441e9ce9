/** Real DynamoDB clients (SDK v3 over HTTP) against the run's dynalite, and per-test tables. */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { CallbackTable } from "@awsomepets/core/index";

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
