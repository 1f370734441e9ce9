import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/cli-errors";
import { detailFromFlags, detailsFromFile } from "../../src/cli/status-details";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const NOW = new Date("2026-11-26T10:00:00.000Z");

function usageError(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("detailFromFlags", () => {
  it("builds a valid detail with occurredAt defaulting to now (ISO with ms) and amountPaid as a number", () => {
    // Act
    const detail = detailFromFlags({ orderId: ORDER, status: "paid", amountPaid: "42.5" }, NOW);
    // Assess
    expect(detail).toEqual({
      orderId: ORDER,
      status: "paid",
      occurredAt: "2026-11-26T10:00:00.000Z",
      amountPaid: 42.5,
    });
  });

  it("keeps the given occurredAt and reason", () => {
    const detail = detailFromFlags(
      { orderId: ORDER, status: "cancelled", reason: "out of stock", occurredAt: "2026-01-02T03:04:05.678Z" },
      NOW,
    );
    expect(detail).toEqual({
      orderId: ORDER,
      status: "cancelled",
      reason: "out of stock",
      occurredAt: "2026-01-02T03:04:05.678Z",
    });
  });

  it.each([
    [{ orderId: "not-a-uuid", status: "placed" }, /--order-id: /],
    [{ orderId: ORDER, status: "shipped" }, /--status: .*placed/],
    [{ orderId: ORDER, status: "paid", amountPaid: "lots" }, /--amount-paid: /],
    [{ orderId: ORDER, status: "paid", amountPaid: "-1" }, /--amount-paid: /],
    [{ orderId: ORDER, status: "placed", occurredAt: "2026-11-26 10:00" }, /--occurred-at: /],
    [{ orderId: ORDER, status: "cancelled", reason: "" }, /--reason: /],
  ])("names the wrong flag for %j", (flags, message) => {
    // Act
    const error = usageError(() => detailFromFlags(flags, NOW));
    // Assess
    expect(error.message).toMatch(message);
    expect(error.showUsage).toBe(false);
  });
});

describe("detailsFromFile", () => {
  it("keeps the file's order and gives entries without occurredAt now + index ms", () => {
    // Prepare
    const text = JSON.stringify([
      { orderId: ORDER, status: "placed" },
      { orderId: ORDER, status: "reserved", occurredAt: "2020-01-01T00:00:00.000Z" },
      { orderId: ORDER, status: "completed" },
    ]);
    // Act
    const details = detailsFromFile(text, "events.json", NOW);
    // Assess
    expect(details.map((d) => [d.status, d.occurredAt])).toEqual([
      ["placed", "2026-11-26T10:00:00.000Z"],
      ["reserved", "2020-01-01T00:00:00.000Z"],
      ["completed", "2026-11-26T10:00:00.002Z"],
    ]);
  });

  it.each([
    ["not json", /events\.json is not valid JSON/],
    ["{}", /non-empty JSON array/],
    ["[]", /non-empty JSON array/],
    [
      JSON.stringify([
        { orderId: ORDER, status: "placed" },
        { orderId: ORDER, status: "lost" },
      ]),
      /events\.json\[1\]\.status: /,
    ],
    [JSON.stringify([{ orderId: ORDER, status: "placed", colour: "red" }]), /events\.json\[0\]: .*colour/],
    [JSON.stringify(["placed"]), /events\.json\[0\]: /],
  ])("rejects %s saying where", (text, message) => {
    expect(usageError(() => detailsFromFile(text, "events.json", NOW)).message).toMatch(message);
  });
});

describe("the sample events file in docs/run-locally.md (docs/examples/statuses.json)", () => {
  it("is a valid file for publish-status --file", () => {
    // Prepare
    const file = new URL("../../../../docs/examples/statuses.json", import.meta.url);
    // Act
    const details = detailsFromFile(readFileSync(file, "utf8"), "statuses.json", NOW);
    // Assess
    expect(details.map((detail) => detail.status)).toEqual([
      "placed",
      "reserved",
      "paid",
      "completed",
      "placed",
      "cancelled",
    ]);
  });
});
