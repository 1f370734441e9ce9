/**
 * GetExecutionHistory events made from the library's event log. The common events map one to one, and
 * a Task state's entry and exit gain the scheduled/started/succeeded events AWS records for its work
 * (`LambdaFunction*` for a Lambda ARN, `Task*` for a service integration); events AWS has no
 * counterpart for (retried, caught, Map/Parallel iterations) are left out. The closing event is made
 * from the execution record, whose error and cause follow AWS more closely.
 */
import type { StateMachine } from "aws-local-stepfunctions";
import { epochSeconds } from "./aws-json";
import type { ExecutionRecord } from "./execution-record";

export type LibraryEvent = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** A history event before it is numbered. */
export type HistoryEventBody = { timestamp: number; type: string } & Record<string, unknown>;
export type HistoryEvent = HistoryEventBody & { id: number; previousEventId: number };

/** The history events for a library event, in order and without ids; none when AWS records nothing for it. */
export function historyEventsOf(
  event: LibraryEvent,
  resources: ReadonlyMap<string, string>,
  roleArn: string,
  region: string,
  /**
   * Task states whose last attempt failed (then caught): their exit has no succeeded event. Kept by the caller per
   * execution.
   */
  failedTasks: Set<string>,
): HistoryEventBody[] {
  const timestamp = epochSeconds(new Date(event.timestamp));
  switch (event.type) {
    case "ExecutionStarted":
      return [
        {
          timestamp,
          type: "ExecutionStarted",
          executionStartedEventDetails: {
            input: JSON.stringify(event.input),
            inputDetails: { truncated: false },
            roleArn,
          },
        },
      ];
    case "StateEntered": {
      const entered = {
        timestamp,
        type: `${event.state.type}StateEntered`,
        stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input) },
      };
      if (event.state.type !== "Task") return [entered];
      return [
        entered,
        ...taskStarting(timestamp, resources.get(event.state.name) ?? "", JSON.stringify(event.state.input), region),
      ];
    }
    case "StateExited": {
      const output = JSON.stringify(event.state.output ?? null);
      const exited = {
        timestamp,
        type: `${event.state.type}StateExited`,
        stateExitedEventDetails: { name: event.state.name, output },
      };
      if (event.state.type !== "Task") return [exited];
      if (failedTasks.delete(event.state.name)) return [exited];
      return [taskSucceeded(timestamp, resources.get(event.state.name) ?? "", output), exited];
    }
    case "StateFailed":
      if (event.state.type !== "Task") return [];
      failedTasks.add(event.state.name);
      return [taskFailed(timestamp, resources.get(event.state.name) ?? "", event.Error, causeText(event.Cause))];
    default:
      return [];
  }
}

const serviceOf = (resource: string) => {
  const [, resourceType = "", action = ""] = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource) ?? [];
  return { resourceType, resource: action };
};
const isLambda = (resource: string) => resource.startsWith("arn:aws:lambda:");

/** Scheduled then started, as AWS records a task's work beginning. */
function taskStarting(timestamp: number, resource: string, input: string, region: string): HistoryEventBody[] {
  if (isLambda(resource)) {
    return [
      {
        timestamp,
        type: "LambdaFunctionScheduled",
        lambdaFunctionScheduledEventDetails: { resource, input, inputDetails: { truncated: false } },
      },
      { timestamp, type: "LambdaFunctionStarted" },
    ];
  }
  const service = serviceOf(resource);
  return [
    { timestamp, type: "TaskScheduled", taskScheduledEventDetails: { ...service, region, parameters: input } },
    { timestamp, type: "TaskStarted", taskStartedEventDetails: service },
  ];
}

function taskSucceeded(timestamp: number, resource: string, output: string): HistoryEventBody {
  if (isLambda(resource))
    return {
      timestamp,
      type: "LambdaFunctionSucceeded",
      lambdaFunctionSucceededEventDetails: { output, outputDetails: { truncated: false } },
    };
  return {
    timestamp,
    type: "TaskSucceeded",
    taskSucceededEventDetails: { ...serviceOf(resource), output, outputDetails: { truncated: false } },
  };
}

/** The event that closes the history of a finished execution. */
export function closingHistoryEvent(record: ExecutionRecord): HistoryEventBody | undefined {
  const timestamp = epochSeconds(record.stopDate ?? new Date());
  const failure = {
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
  switch (record.status) {
    case "SUCCEEDED":
      return {
        timestamp,
        type: "ExecutionSucceeded",
        executionSucceededEventDetails: { output: record.output, outputDetails: { truncated: false } },
      };
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
  if (isLambda(resource))
    return { timestamp, type: "LambdaFunctionFailed", lambdaFunctionFailedEventDetails: { error, cause } };
  return { timestamp, type: "TaskFailed", taskFailedEventDetails: { ...serviceOf(resource), error, cause } };
}

export const causeText = (cause: unknown) =>
  cause === undefined || typeof cause === "string" ? cause : JSON.stringify(cause);

const EXECUTION_DATA = new Set(["input", "output", "parameters"]);

/** An event without the execution's data (GetExecutionHistory with `includeExecutionData: false`). */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) =>
      key.endsWith("EventDetails") && value && typeof value === "object"
        ? [key, Object.fromEntries(Object.entries(value).filter(([field]) => !EXECUTION_DATA.has(field)))]
        : [key, value],
    ),
  ) as HistoryEvent;
}
