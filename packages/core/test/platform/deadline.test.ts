/**
 * An invocation's time budget holds together: the constants in platform/deadline.ts fit inside one
 * another and inside the functions' timeouts (topology/functions.ts), and the grace is shared.
 */
import { describe, expect, it } from "vitest";
import * as Deadline from "@awsomepets/core/platform/deadline";
import * as Topology from "@awsomepets/core/platform/topology";

const { AFTER_DEADLINE_GRACE_MS, DEADLINE_RESERVE_MS, MANAGEMENT_TIMEOUTS, MIN_ATTEMPT_MS } = Deadline;
const timeoutMs = (name: keyof typeof Topology.FUNCTION_RUNTIME) =>
  Topology.FUNCTION_RUNTIME[name].timeoutSeconds * 1000;

describe("the time budget", () => {
  it("leaves room in the handler's reserve after the shared grace for the log and the flush", () => {
    expect(AFTER_DEADLINE_GRACE_MS).toBeLessThan(DEADLINE_RESERVE_MS);
  });

  it("keeps the reserve and one attempt inside every function's timeout", () => {
    for (const name of Object.keys(Topology.FUNCTION_RUNTIME) as (keyof typeof Topology.FUNCTION_RUNTIME)[]) {
      expect(DEADLINE_RESERVE_MS, name).toBeLessThan(timeoutMs(name));
    }
    expect(MIN_ATTEMPT_MS + DEADLINE_RESERVE_MS).toBeLessThan(timeoutMs("OrderWSCallbackFunction"));
  });

  it("fits a post's three attempts, each at its longest, in the callback's timeout before the reserve", () => {
    const attemptMs = MANAGEMENT_TIMEOUTS.connectionTimeoutMs + MANAGEMENT_TIMEOUTS.requestTimeoutMs;
    expect(3 * attemptMs).toBeLessThanOrEqual(timeoutMs("OrderWSCallbackFunction") - DEADLINE_RESERVE_MS);
  });
});

describe("graceAfterDeadline", () => {
  it("gives every call after one deadline the same grace, anchored at the deadline", async () => {
    const deadline = Date.now() + 20;
    const { signal, cancel } = Deadline.deadlineSignal(deadline);
    const first = Deadline.graceAfterDeadline(signal, 30);
    expect(Deadline.graceAfterDeadline(signal, 30)).toBe(first);
    await new Promise((resolve) => first?.addEventListener("abort", resolve, { once: true }));
    // Node may fire a timer a millisecond early.
    expect(Date.now()).toBeGreaterThanOrEqual(deadline + 30 - 2);
    expect(Deadline.graceAfterDeadline(undefined, 30)).toBeUndefined();
    cancel();
  });
});
