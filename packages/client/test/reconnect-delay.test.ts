import { expect, it } from "vitest";
import { reconnectDelay, RECONNECT_BASE_MS, RECONNECT_MAX_MS } from "../src/reconnect-delay";

it("doubles the window per attempt up to the maximum", () => {
  // Act: the top of each window (random just below 1)
  const windows = [0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelay(attempt, () => 0.999999, 100, 1000));
  // Assess
  expect(windows).toEqual([100, 200, 400, 800, 1000, 1000]);
});

it("draws from the upper half of the window (jitter, never immediate)", () => {
  expect(reconnectDelay(3, () => 0, 100, 1000)).toBe(400);
  expect(reconnectDelay(3, () => 0.5, 100, 1000)).toBe(600);
});

it("stays finite for very many attempts, with the defaults", () => {
  expect(reconnectDelay(5000, () => 0.5)).toBe(Math.round(RECONNECT_MAX_MS * 0.75));
  expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_BASE_MS / 2);
});
