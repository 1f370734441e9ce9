import { expect, it } from "vitest";
import { inBatches, MAX_PUT_EVENTS_ENTRIES } from "../../src/cli/batches";

it("splits into batches of at most 10, in order", () => {
  // Prepare
  const items = Array.from({ length: 23 }, (_, i) => i);
  // Act
  const batches = inBatches(items);
  // Assess
  expect(MAX_PUT_EVENTS_ENTRIES).toBe(10);
  expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
  expect(batches.flat()).toEqual(items);
});

it("gives exactly-full batches and no batch for nothing", () => {
  expect(inBatches([1, 2, 3, 4], 2)).toEqual([
    [1, 2],
    [3, 4],
  ]);
  expect(inBatches([])).toEqual([]);
});

it("refuses a batch size below 1", () => {
  expect(() => inBatches([1], 0)).toThrow(RangeError);
});
