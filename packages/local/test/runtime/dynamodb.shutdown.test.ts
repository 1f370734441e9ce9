/**
 * Stopping the local DynamoDB API while requests are in flight — a worker killed mid-write, a handler's
 * deadline aborting its call — ends those requests, never the process: dynalite throws any error
 * that is not DynamoDB's own (here "Database is closed") from its request handler, uncaught.
 */
import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, expect, it } from "vitest";
import { startDynamoDB } from "../../src/runtime/dynamodb";

const uncaught: unknown[] = [];
const record = (error: unknown) => uncaught.push(error);
afterEach(() => {
  process.off("uncaughtException", record);
});

it("closes with writes queued on one item and their callers gone, and nothing is thrown", async () => {
  // Prepare: 200 updates of one item (dynalite runs them one at a time, under a lock), callers aborting
  process.on("uncaughtException", record);
  const db = await startDynamoDB({
    port: 0,
    tables: [
      {
        name: "shutdown-test",
        create: (TableName) => ({
          TableName,
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      },
    ],
  });
  const client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const abort = new AbortController();
  const writes = Array.from({ length: 200 }, (_, i) =>
    client
      .send(
        new UpdateItemCommand({
          TableName: "shutdown-test",
          Key: { pk: { S: "order-1" } },
          UpdateExpression: "ADD n :one SET #w = :w",
          ExpressionAttributeNames: { "#w": `w${i % 20}` },
          ExpressionAttributeValues: { ":one": { N: "1" }, ":w": { S: "x".repeat(500) } },
        }),
        { abortSignal: abort.signal },
      )
      .catch(() => {}),
  );
  const tablesCreated = db.requests();
  while (db.requests() < tablesCreated + 150) await new Promise((resolve) => setTimeout(resolve, 2)); // most of them queued
  // Act
  abort.abort();
  client.destroy();
  await db.close();
  await Promise.all(writes);
  await new Promise((resolve) => setTimeout(resolve, 200)); // anything dynalite still had queued has run
  // Assess
  expect(uncaught).toEqual([]);
}, 30_000);
