/**
 * An invocation's time budget: every constant of it, and the deadline an AbortSignal carries. Handlers
 * make one per invocation (functions/lib/handler.ts) and pass it to every AWS call, so that no call
 * outlives the invocation's time; the function timeouts themselves are in topology/functions.ts.
 */

/**
 * What a handler keeps for itself after its AWS calls were cut at the signal: logging the outcome,
 * marking what it could not deliver (one DynamoDB write, ~10 ms warm) and answering. A few hundred
 * ms covers a slow write and the log and metric flush; more would only shorten every call.
 */
export const DEADLINE_RESERVE_MS = 500;

/**
 * How long after the signal the writes that record what the posts did (pending marks, 410 removals)
 * and a last error frame may still run: inside `DEADLINE_RESERVE_MS`, counted once from the deadline
 * for all of them together (`graceAfterDeadline`), leaving the rest of the reserve for the log and flush.
 */
export const AFTER_DEADLINE_GRACE_MS = 250;

/**
 * A retry of a post starts only if this much time is left after its backoff: a healthy post answers
 * in tens of milliseconds, and an attempt with less would more likely be cut by the deadline than
 * answered, adding load to an API that is already slow.
 */
export const MIN_ATTEMPT_MS = 1_000;

/**
 * How long a `@connections` request may take to connect, and to be answered: a post that gets no
 * answer fails as retryable instead of holding the invocation; 3 attempts fit the callback's 30 s.
 */
export const MANAGEMENT_TIMEOUTS = { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000 };

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
 * A signal that aborts `graceMs` after `signal`'s deadline, the same one for every call with the same
 * `signal` and `graceMs`: clean-up writes and a last answer past the deadline share one grace instead
 * of each getting a fresh one (which would spend the handler's whole reserve). With a known deadline
 * it aborts at `deadline + graceMs`, otherwise `graceMs` after `signal` aborts; undefined without one.
 *
 * @example
 * const { signal } = deadlineSignal(Date.now() + 1_000); // … the deadline passes while posting …
 * await store.markPending(orderId, statuses, handovers, { signal: graceAfterDeadline(signal, 250) });
 * await post(connectionId, internalError, { signal: graceAfterDeadline(signal, 250) }); // the rest of the 250 ms
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
