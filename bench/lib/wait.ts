/** Bounded waiting: every loop of the benchmark ends, with an error naming what did not happen. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `what` names what did not happen; as a function it is read at the timeout, so it can say how far it got. */
export async function waitUntil(done: () => boolean, timeoutMs: number, what: string | (() => string)) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`);
    await sleep(10);
  }
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `work` with at most `concurrency` calls running at once; the others wait, first come first served. */
export function bounded<A extends unknown[], R>(
  concurrency: number,
  work: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let running = 0;
  const queue: Array<() => void> = [];
  return async (...args) => {
    if (running >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await work(...args);
    } finally {
      // The slot passes to the next waiter as it is.
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}
