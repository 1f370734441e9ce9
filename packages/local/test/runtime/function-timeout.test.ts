/** The emulated Lambda timeout: an invocation that does not finish in time fails as Lambda's does. */
import { expect, it } from "vitest";
import { FunctionTimeoutError, withTimeout } from "../../src/runtime/lambda";

it("fails a handler that never returns with Sandbox.Timedout, and reports it once", async () => {
  // Prepare
  let reported = 0;
  // Act
  const outcome = withTimeout(new Promise(() => {}), 20, "OrderWSCallbackFunction", () => reported++);
  // Assess
  await expect(outcome).rejects.toBeInstanceOf(FunctionTimeoutError);
  await expect(outcome).rejects.toMatchObject({ name: "Sandbox.Timedout", message: "OrderWSCallbackFunction: Task timed out after 0.02 seconds" });
  expect(reported).toBe(1);
});

it("passes through a handler's result or error", async () => {
  // Act + Assess
  await expect(withTimeout(Promise.resolve({ statusCode: 200 }), 1000, "F")).resolves.toEqual({ statusCode: 200 });
  await expect(withTimeout(Promise.reject(new Error("boom")), 1000, "F")).rejects.toThrow("boom");
});
