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

/** Grace signals already made, per signal and grace: every caller after one deadline shares one. */
const graces = new WeakMap<AbortSignal, Map<number, AbortSignal>>();

/**
 * A signal that aborts `graceMs` after `signal`'s deadline — the same signal for every call with the
 * same `signal` and `graceMs`, so that the grace is anchored once per invocation: clean-up writes and
 * a last answer made one after the other past the deadline share one `graceMs` between them instead
 * of each getting a fresh one (which would spend the handler's whole reserve). With a known deadline
 * (`deadlineSignal`) it aborts at `deadline + graceMs`; otherwise `graceMs` after `signal` aborts.
 * Undefined without a signal.
 *
 * @example
 * const { signal } = deadlineSignal(Date.now() + 1_000);
 * // … the deadline passes while posting …
 * await store.markPending(orderId, statuses, handovers, { signal: graceAfterDeadline(signal, 250) });
 * await post(connectionId, internalError, { signal: graceAfterDeadline(signal, 250) }); // what is left of the same 250 ms
 */
export function graceAfterDeadline(signal: AbortSignal | undefined, graceMs: number): AbortSignal | undefined {
  if (!signal) return undefined;
  const bySignal = graces.get(signal) ?? new Map<number, AbortSignal>();
  graces.set(signal, bySignal);
  const made = bySignal.get(graceMs);
  if (made) return made;
  const controller = new AbortController();
  const abort = () =>
    controller.abort(signal.reason ?? new DOMException("the invocation's time is up", "TimeoutError"));
  const deadline = deadlines.get(signal);
  if (deadline !== undefined) {
    deadlines.set(controller.signal, deadline + graceMs);
    setTimeout(abort, Math.max(0, deadline + graceMs - Date.now())).unref();
  } else {
    const start = () => setTimeout(abort, graceMs).unref();
    if (signal.aborted) start();
    else signal.addEventListener("abort", start, { once: true });
  }
  bySignal.set(graceMs, controller.signal);
  return controller.signal;
}
