/**
 * The in-memory tables hold about what their items weigh: small keys and values must not each pin a
 * slab of Node's shared Buffer pool (8 KB), which grew `npm start` by ~20 MB per 1,000 orders.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { startDynamoDB } from "../../src/runtime/dynamodb";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

it("2,000 items of ~250 bytes in memory hold under 2 MB of external memory", async () => {
  // Prepare
  const db = await startDynamoDB({
    port: 0,
    tables: [
      {
        name: "memory-test",
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
  });
  try {
    gc();
    const before = process.memoryUsage().arrayBuffers;
    // Act
    for (let i = 0; i < 2000; i++)
      await client.send(
        new PutItemCommand({
          TableName: "memory-test",
          Item: { pk: { S: `order-${i}` }, detail: { S: "x".repeat(200) } },
        }),
      );
    gc();
    // Assert: ~0.6 MB measured; ~8 MB with the pool
    expect((process.memoryUsage().arrayBuffers - before) / 1e6).toBeLessThan(2);
  } finally {
    client.destroy();
    await db.close();
  }
}, 60_000);
