/** The failures Lambda reports for an invocation, as errors the caller can tell apart by `name`. */
import type { SerializedError } from "./protocol";

/**
 * The handler threw (or rejected): same `name` and message, so Step Functions' Catch and logs see Lambda's errorType.
 */
export class FunctionError extends Error {
  constructor(error: SerializedError) {
    super(error.errorMessage);
    this.name = error.errorType;
    if (error.stack) this.stack = error.stack;
  }
}

/** What Lambda reports when a function runs past its timeout; its execution environment is discarded. */
export class FunctionTimeoutError extends Error {
  override readonly name = "Sandbox.Timedout";
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** The environment died under the invocation (uncaught exception, out of memory, process.exit). */
export class EnvironmentExitError extends Error {
  override readonly name = "Runtime.ExitError";
  constructor(functionName: string, cause: string) {
    super(`${functionName}: the execution environment exited during the invocation (${cause})`);
  }
}

/** The handler's module failed to load (Lambda: Runtime.ImportModuleError / init error). */
export class InitError extends Error {
  override readonly name = "Runtime.InitError";
  constructor(functionName: string, error: SerializedError) {
    super(`${functionName}: init failed: ${error.errorType}: ${error.errorMessage}`);
  }
}

/** Lambda's answer to an invoke of a function it does not have. */
export class ResourceNotFoundError extends Error {
  override readonly name = "ResourceNotFoundException";
  constructor(functionName: string) {
    super(`Function not found: ${functionName}`);
  }
}
