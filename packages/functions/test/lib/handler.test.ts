/** The handler wrapper's per-invocation signal: it aborts a reserve before Lambda's timeout, never without a context. */
import * as Deadline from "@awsomepets/core/platform/deadline";
import { beforeAll, describe, expect, it } from "vitest";
import { lambdaHandler } from "../../src/lib/handler";
import { lambdaContext } from "../support/lambda-context";

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
});

const until = (signal: AbortSignal) =>
  new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));

describe("lambdaHandler's signal", () => {
  it("aborts DEADLINE_RESERVE_MS before the invocation's time runs out, leaving the reserve to the handler", async () => {
    // Prepare: an invocation with 200 ms of its own beyond the reserve
    const handler = lambdaHandler("OrderWSCallbackFunction", async (_event, { signal }) => {
      const leftAtStart = Deadline.msLeft(signal);
      const reason = await until(signal);
      return { leftAtStart, reason, aborted: signal.aborted };
    });
    const context = lambdaContext("OrderWSCallbackFunction", Deadline.DEADLINE_RESERVE_MS + 200);
    // Act
    const result = await handler({}, context);
    const remainingAfterAbort = context.getRemainingTimeInMillis();
    // Assess: the deadline is known to the retry loops, and the reserve is still there when it fires
    expect(result.aborted).toBe(true);
    expect(result.reason).toMatchObject({ name: "TimeoutError" });
    expect(result.leftAtStart).toBeGreaterThan(0);
    expect(result.leftAtStart).toBeLessThanOrEqual(200);
    expect(remainingAfterAbort).toBeGreaterThan(Deadline.DEADLINE_RESERVE_MS / 2);
  });

  it("never aborts without a Lambda context (tests), and has no deadline", async () => {
    const handler = lambdaHandler("OrderWSCallbackFunction", async (_event, { signal }) => ({
      aborted: signal.aborted,
      left: Deadline.msLeft(signal),
    }));

    expect(await handler({})).toEqual({ aborted: false, left: Infinity });
  });

  it("aborts at once when the invocation has less than the reserve left", async () => {
    const handler = lambdaHandler("OrderWSCallbackFunction", async (_event, { signal }) => {
      await until(signal);
      return Deadline.msLeft(signal);
    });

    expect(await handler({}, lambdaContext("OrderWSCallbackFunction", Deadline.DEADLINE_RESERVE_MS / 2))).toBe(0);
  });
});
