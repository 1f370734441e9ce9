/**
 * An order's item as the store leaves it, measured by DynamoDB's size rules (src/callbacks/item-size.ts) at the
 * end of an order: the success path and the longest cancel path (six statuses, three carrying a
 * reason of REASON_MAX_LENGTH characters), with 1, 3, 10 and the most sockets a deploy may allow,
 * each synced once. The figures are docs/capacity.md's table, which this checks is current.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as SyncRateLimit from "@awsomepets/core/callbacks/rate-limit";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Tunables from "@awsomepets/core/platform/tunables";
import * as OrderStatus from "@awsomepets/core/status/event";
import { itemSize, writeUnits } from "../../src/callbacks/item-size";
import { createCallbackTable, testDocumentClient } from "@test-support/dynamodb";

const client = testDocumentClient();
let table: Awaited<ReturnType<typeof createCallbackTable>>;
beforeAll(async () => {
  table = await createCallbackTable("ItemSize");
});
afterAll(() => table.drop());

const MAX = Tunables.TUNABLES.maxConnectionsPerOrder.max;
const WATCHERS = [1, 3, 10, MAX];
const ascii = "Out of stock: ".padEnd(OrderStatus.REASON_MAX_LENGTH, "x");
const threeBytes = "在庫切れ".padEnd(OrderStatus.REASON_MAX_LENGTH, "品");
type Step = [OrderStatus.Status, Partial<OrderStatus.StatusRecord>?];
const PATHS: Record<string, Step[]> = {
  "success (4 statuses)": [["placed"], ["reserved"], ["paid", { amountPaid: 12_345.67 }], ["completed"]],
  "cancel, longest reason (6 statuses, 3 reasons of 1,024 ASCII characters)": [
    ["placed"],
    ["reserved"],
    ["paid", { amountPaid: 12_345.67 }],
    ["refunded", { reason: ascii }],
    ["released", { reason: ascii }],
    ["cancelled", { reason: ascii }],
  ],
  "cancel, longest reason in bytes (1,024 three-byte characters)": [
    ["placed"],
    ["reserved"],
    ["paid", { amountPaid: 12_345.67 }],
    ["refunded", { reason: threeBytes }],
    ["released", { reason: threeBytes }],
    ["cancelled", { reason: threeBytes }],
  ],
};

/** API Gateway's connection ids are 16 characters (`L0SM9cOFvHcCIhw=`). */
const connectionId = (i: number) => `L0SM9cOFvH${String(i).padStart(5, "0")}=`;

async function itemAtTheEnd(steps: Step[], watchers: number) {
  let now = Date.parse("2026-11-26T10:00:00.000Z");
  const store = new CallbackStore({ client, tableName: table.tableName, now: () => new Date(now) });
  const orderId = randomUUID();
  for (const [i, [status, extra]] of steps.entries()) {
    now += 1_000;
    await store.recordStatus({
      orderId,
      status,
      occurredAt: new Date(now).toISOString(),
      ...extra,
    } as OrderStatus.StatusRecord);
    if (i > 0) continue;
    for (let w = 0; w < watchers; w++) {
      now += 137;
      await store.addConnection({ orderId, connectionId: connectionId(w), maxConnections: MAX });
      await store.admitMessage({ orderId, connectionId: connectionId(w), rate: SyncRateLimit.DEFAULT_SYNC_RATE });
    }
  }
  const { Item } = await client.send(
    new GetCommand({ TableName: table.tableName, Key: CallbackTable.orderKey(orderId) }),
  );
  return Item!;
}

describe("an order's item at the end of an order", () => {
  const sizes = new Map<string, number[]>();
  beforeAll(async () => {
    for (const [name, steps] of Object.entries(PATHS))
      sizes.set(name, await Promise.all(WATCHERS.map((n) => itemAtTheEnd(steps, n).then(itemSize))));
  }, 60_000);

  it("a synced socket adds 54 bytes", async () => {
    const [one, three] = sizes.get("success (4 statuses)")!;
    expect((three! - one!) / 2).toBe(54);
  });

  it("stays within one write unit with up to 10 watchers on the success path, within 2 at the cap", () => {
    const success = sizes.get("success (4 statuses)")!;
    expect(success.slice(0, 3).every((bytes) => bytes <= 1024)).toBe(true);
    expect(writeUnits(undefined, { pad: "x".repeat(success[3]! - 4) })).toBe(2);
  });

  it("keeps a long reason once: the longest cancel path at the cap stays within 3 units, 5 in three-byte characters", () => {
    const units = (name: string) => Math.ceil(sizes.get(name)!.at(-1)! / 1024);
    expect(units("cancel, longest reason (6 statuses, 3 reasons of 1,024 ASCII characters)")).toBeLessThanOrEqual(3);
    expect(units("cancel, longest reason in bytes (1,024 three-byte characters)")).toBeLessThanOrEqual(5);
  });

  it("docs/capacity.md shows these sizes", () => {
    const rows = [...sizes].map(
      ([name, bytes]) =>
        `| ${name} | ${bytes.map((b) => `${b.toLocaleString("en-US")} B (${Math.ceil(b / 1024)})`).join(" | ")} |`,
    );
    const table = [
      `| the order's item at its end, with … synced sockets | ${WATCHERS.join(" | ")} (the cap's maximum) |`,
      `|---|${WATCHERS.map(() => "---").join("|")}|`,
      ...rows,
    ].join("\n");
    const page = readFileSync(path.resolve(import.meta.dirname, "../../../../docs/capacity.md"), "utf8");
    const shown = /<!-- item-size:start[^>]*-->\n([\s\S]*?)\n<!-- item-size:end -->/.exec(page)?.[1];
    expect(shown, "docs/capacity.md's item-size table (between its markers) is this").toBe(table);
  });
});
