/**
 * Exponential backoff with jitter for reconnecting watchers: the ceiling doubles per failed
 * attempt up to `maxMs`, and the delay is drawn from its upper half so that many clients dropped
 * together do not come back together, while none retries immediately.
 */
export type BackoffOptions = { baseMs: number; maxMs: number };

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 30_000 };

/** `attempt` counts from 0 (the first retry); `random` returns [0, 1) like Math.random. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random, options: BackoffOptions = DEFAULT_BACKOFF) {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
