/**
 * How long to wait before reconnect attempt `attempt` (0 = the first after a drop): exponential
 * backoff with "equal jitter" — half the window fixed, half random — so that many browsers dropped at
 * once (a deploy, a network blip) do not all come back in the same instant, yet none retries at once.
 */
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs = RECONNECT_BASE_MS,
  maxMs = RECONNECT_MAX_MS,
) {
  const window = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(window / 2 + random() * (window / 2));
}
