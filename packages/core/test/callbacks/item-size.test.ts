/**
 * The size rules of src/callbacks/item-size.ts against the capacity the DynamoDB API under test answers (this
 * file runs on dynalite and on AWS's DynamoDB Local): an item of exactly 1,024 bytes by the rules is
 * billed 1 write unit, one byte more 2 — for each kind of value the order's item holds. (dynalite counts
 * a string's UTF-16 units, not its UTF-8 bytes: the strings here are ASCII; DynamoDB Local counts bytes.)
 */
import { randomUUID } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemSize, valueSize, writeUnits } from "../../src/callbacks/item-size";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
beforeAll(async () => {
  table = await createCallbackTable("ItemSize");
});
afterAll(() => table.drop());

/** The item with a `pad` string that brings it to exactly `bytes` by the rules. */
function padded(item: Record<string, unknown>, bytes: number) {
  const withoutPad = itemSize({ ...item, pad: "" });
  return { ...item, pad: "x".repeat(bytes - withoutPad) };
}

async function unitsOfPut(item: Record<string, unknown>) {
  const { ConsumedCapacity } = await client.send(
    new PutCommand({ TableName: table.tableName, Item: item, ReturnConsumedCapacity: "TOTAL" }),
  );
  return ConsumedCapacity?.CapacityUnits;
}

const shapes: Record<string, Record<string, unknown>> = {
  strings: { note: "Out of stock: SOLD-OUT" },
  "numbers: epoch ms, epoch s, small counts, fractions, zero, negatives": {
    at: 1_764_151_200_123,
    expiresAt: 1_764_151_200,
    n: 7,
    p: 42.5,
    q: 450,
    r: 0.125,
    z: 0,
    big: 120_000,
    minus: -1,
  },
  "a map of numbers": {
    "conn#L0SM9cOFvHcCIhw=": { connectedAt: 1_764_151_200_123, syncedAt: 1_764_151_201_456, expiresAt: 1_764_159_300 },
  },
  "a list of maps": {
    history: [
      { status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
      { status: "paid", amountPaid: 450 },
    ],
  },
  "a string set and nested empties": { pending: new Set(["placed", "paid"]), empty: [], none: {} },
};

describe("item size by DynamoDB's rules", () => {
  for (const [name, shape] of Object.entries(shapes)) {
    it(`${name}: 1,024 bytes bill 1 write unit, 1,025 bill 2`, async () => {
      const key = { orderId: randomUUID(), sk: "order" };
      expect(await unitsOfPut(padded({ ...key, ...shape }, 1024))).toBe(1);
      expect(await unitsOfPut(padded({ ...key, ...shape }, 1025))).toBe(2);
    });
  }

  it("bills an update on the larger of the item before and after it", async () => {
    const key = { orderId: randomUUID(), sk: "order" };
    const big = padded(key, 2049);
    await client.send(new PutCommand({ TableName: table.tableName, Item: big }));
    const { ConsumedCapacity } = await client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: "REMOVE #pad",
        ExpressionAttributeNames: { "#pad": "pad" },
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    expect(ConsumedCapacity?.CapacityUnits).toBe(3);
    expect(writeUnits(big, key)).toBe(3);
  });

  it("counts numbers by significant digits and containers with their overhead", () => {
    const numbers = [0, 7, 42, 450, 42.5, -7, 1_764_151_200, 1_764_151_200_123, 1_000_000];
    expect(numbers.map(valueSize)).toEqual([1, 2, 2, 3, 3, 3, 5, 8, 2]);
    expect(valueSize([])).toBe(3);
    expect(valueSize({ a: 1 })).toBe(3 + 1 + 1 + 2);
    expect(valueSize(["ab"])).toBe(3 + 1 + 2);
    expect(valueSize(new Set(["ab", "c"]))).toBe(3);
  });
});
