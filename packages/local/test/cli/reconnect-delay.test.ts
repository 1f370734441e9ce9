import { expect, it } from "vitest";
import { reconnectDelayMs } from "../../src/cli/reconnect-delay";

const options = { baseMs: 100, maxMs: 1000 };

it("doubles the ceiling per attempt up to the maximum", () => {
  // Act: the top of each range (random just below 1)
  const ceilings = [0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelayMs(attempt, () => 0.999999, options));
  // Assess
  expect(ceilings).toEqual([100, 200, 400, 800, 1000, 1000]);
});

it("draws from the upper half of the ceiling (jitter, never immediate)", () => {
  expect(reconnectDelayMs(3, () => 0, options)).toBe(400);
  expect(reconnectDelayMs(3, () => 0.5, options)).toBe(600);
});

it("stays finite for very many attempts", () => {
  expect(reconnectDelayMs(5000, () => 0.5)).toBe(22_500);
});
