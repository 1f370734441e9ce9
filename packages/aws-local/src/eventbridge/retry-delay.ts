/**
 * How long to wait before a retry: exponential backoff (base, 2×base, 4×base, …) plus up to half
 * of it again as random jitter, so failing targets are not hammered in lock-step. Capped.
 */
export const DEFAULT_RETRY_BASE_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** `retryNumber` counts from 1 (the first retry). `random` returns [0, 1) like Math.random. */
export function retryDelayMs(retryNumber: number, baseDelayMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseDelayMs * 2 ** (retryNumber - 1), MAX_RETRY_DELAY_MS);
  return Math.round(exponential + random() * (exponential / 2));
}
