/**
 * A deadline an AbortSignal carries: handlers make one per invocation (functions/lib/handler.ts) and
 * pass it to every AWS call, so that no call outlives the invocation's time.
 */
const deadlines = new WeakMap<AbortSignal, number>();

/**
 * A signal that aborts at `deadline` (ms since the epoch) and remembers it, so that a retry loop can
 * tell whether another attempt still fits (`msLeft`). Pass it to every AWS call as `abortSignal`;
 * `cancel` stops its timer once the work is done.
 */
export function deadlineSignal(deadline: number): { signal: AbortSignal; cancel: () => void } {
  const controller = new AbortController();
  deadlines.set(controller.signal, deadline);
  const timer = setTimeout(
    () => controller.abort(new DOMException("the invocation's time is up", "TimeoutError")),
    Math.max(0, deadline - Date.now()),
  );
  timer.unref();
  return { signal: controller.signal, cancel: () => clearTimeout(timer) };
}

/** Milliseconds left before the signal's deadline: 0 once it aborted, Infinity if it has no known deadline. */
export function msLeft(signal: AbortSignal | undefined, now = Date.now()): number {
  if (!signal) return Infinity;
  if (signal.aborted) return 0;
  const deadline = deadlines.get(signal);
  return deadline === undefined ? Infinity : Math.max(0, deadline - now);
}
