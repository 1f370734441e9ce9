/**
 * GetExecutionHistory events made from the library's event log. The common events map one to one;
 * events AWS has no counterpart for (retried, caught, Map/Parallel iterations) are left out. The
 * closing event is made from the execution record, whose error and cause follow AWS more closely.
 */
import type { StateMachine } from "aws-local-stepfunctions";
import { epochSeconds } from "./aws-json";
import type { ExecutionRecord } from "./execution-record";

export type LibraryEvent = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** A history event before it is numbered. */
export type HistoryEventBody = { timestamp: number; type: string } & Record<string, unknown>;
export type HistoryEvent = HistoryEventBody & { id: number; previousEventId: number };

/** The history event for a library event, without ids; undefined when AWS records nothing for it. */
export function historyEventOf(event: LibraryEvent, resources: ReadonlyMap<string, string>, roleArn: string): HistoryEventBody | undefined {
  const timestamp = epochSeconds(new Date(event.timestamp));
  switch (event.type) {
    case "ExecutionStarted":
      return { timestamp, type: "ExecutionStarted", executionStartedEventDetails: { input: JSON.stringify(event.input), inputDetails: { truncated: false }, roleArn } };
    case "StateEntered":
      return { timestamp, type: `${event.state.type}StateEntered`, stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input) } };
    case "StateExited":
      return { timestamp, type: `${event.state.type}StateExited`, stateExitedEventDetails: { name: event.state.name, output: JSON.stringify(event.state.output ?? null) } };
    case "StateFailed":
      if (event.state.type !== "Task") return undefined;
      return taskFailed(timestamp, resources.get(event.state.name) ?? "", event.Error, causeText(event.Cause));
    default:
      return undefined;
  }
}

/** The event that closes the history of a finished execution. */
export function closingHistoryEvent(record: ExecutionRecord): HistoryEventBody | undefined {
  const timestamp = epochSeconds(record.stopDate ?? new Date());
  const failure = { ...(record.error !== undefined ? { error: record.error } : {}), ...(record.cause !== undefined ? { cause: record.cause } : {}) };
  switch (record.status) {
    case "SUCCEEDED":
      return { timestamp, type: "ExecutionSucceeded", executionSucceededEventDetails: { output: record.output, outputDetails: { truncated: false } } };
    case "FAILED":
      return { timestamp, type: "ExecutionFailed", executionFailedEventDetails: failure };
    case "ABORTED":
      return { timestamp, type: "ExecutionAborted", executionAbortedEventDetails: failure };
    case "TIMED_OUT":
      return { timestamp, type: "ExecutionTimedOut", executionTimedOutEventDetails: failure };
    case "RUNNING":
      return undefined;
  }
}

/** A Lambda function ARN as Resource fails as LambdaFunctionFailed; a service integration as TaskFailed. */
function taskFailed(timestamp: number, resource: string, error: string, cause: string | undefined) {
  if (resource.startsWith("arn:aws:lambda:")) return { timestamp, type: "LambdaFunctionFailed", lambdaFunctionFailedEventDetails: { error, cause } };
  const [, service = "", action = ""] = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource) ?? [];
  return { timestamp, type: "TaskFailed", taskFailedEventDetails: { resourceType: service, resource: action, error, cause } };
}

export const causeText = (cause: unknown) => (cause === undefined || typeof cause === "string" ? cause : JSON.stringify(cause));
