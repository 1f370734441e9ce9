/** How an execution ended, from the way aws-local-stepfunctions settled its `result`. */
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import type { ExecutionStatus } from "./execution-record";

type AnyState = StateMachineDefinition["States"][string];

export type ExecutionOutcome = {
  status: Exclude<ExecutionStatus, "RUNNING">;
  output?: string;
  error?: string;
  cause?: string;
};

export const STOPPED_BY_CLOSE = "The local Step Functions endpoint closed while the execution was running.";

/** `lastState` is the state the execution was in when it ended. */
export function outcomeOf(result: PromiseSettledResult<unknown>, lastState: AnyState | undefined): ExecutionOutcome {
  if (result.status === "fulfilled") return { status: "SUCCEEDED", output: JSON.stringify(result.value ?? null) };
  const reason: unknown = result.reason;
  if (reason instanceof ExecutionAbortedError) return { status: "ABORTED", cause: STOPPED_BY_CLOSE };
  if (reason instanceof ExecutionTimeoutError) return { status: "TIMED_OUT", error: "States.Timeout" };
  if (reason instanceof ExecutionError && reason.cause instanceof Error) {
    const { name, message } = reason.cause;
    if (lastState?.Type === "Fail") return failStateOutcome(lastState, name, message);
    return { status: "FAILED", error: name, cause: message };
  }
  return {
    status: "FAILED",
    error: "States.Runtime",
    cause: reason instanceof Error ? reason.message : String(reason),
  };
}

/**
 * The library names a Fail state's error "FailStateError" and its cause "Execution failed because of a
 * Fail state" when the state has none; Step Functions then reports no error or cause at all.
 */
function failStateOutcome(state: AnyState & { Type: "Fail" }, name: string, message: string): ExecutionOutcome {
  const error = state.Error ?? (state.ErrorPath ? name : undefined);
  const cause = state.Cause ?? (state.CausePath ? message : undefined);
  return { status: "FAILED", ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
}
