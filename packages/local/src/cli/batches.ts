/** PutEvents takes at most 10 entries per request; the details keep their order across batches. */
export const MAX_PUT_EVENTS_ENTRIES = 10;

export function inBatches<T>(items: readonly T[], size = MAX_PUT_EVENTS_ENTRIES): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
