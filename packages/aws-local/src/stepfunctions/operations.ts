/** The Step Functions operations the endpoint implements, from parsed request body to response body. */
import { isExecutionArn, isExpressExecutionArn, isStateMachineArn } from "./arns";
import { epochSeconds, StepFunctionsError } from "./aws-json";
import {
  describeExecutionOutput,
  EXECUTION_STATUSES,
  executionListItem,
  type ExecutionRecord,
  type ExecutionStatus,
} from "./execution-record";
import type { Executions } from "./executions";
import { withoutExecutionData } from "./execution-history";
import type { LocalStateMachine } from "./local-state-machine";
import { MAX_PAGE_SIZE, page } from "./pagination";
import { optionalBoolean, optionalInteger, optionalString, requiredString, type RequestBody } from "./request-fields";

export interface OperationScope {
  /** By state machine ARN. */
  machines: ReadonlyMap<string, LocalStateMachine>;
  executions: Executions;
}

type Operation = (body: RequestBody, scope: OperationScope) => unknown;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  StartExecution(body, { machines, executions }) {
    const machine = stateMachineOf(requiredString(body, "stateMachineArn"), machines);
    const record = executions.start(machine, {
      name: optionalString(body, "name"),
      input: optionalString(body, "input"),
    });
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  },

  DescribeExecution(body, { executions }) {
    const record = executionOf(requiredString(body, "executionArn"), executions);
    const includedData = optionalString(body, "includedData") ?? "ALL_DATA";
    if (includedData !== "ALL_DATA" && includedData !== "METADATA_ONLY") {
      throw new StepFunctionsError(
        "ValidationException",
        `1 validation error detected: Value '${includedData}' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]`,
      );
    }
    return describeExecutionOutput(record, includedData === "ALL_DATA");
  },

  ListExecutions(body, { machines, executions }) {
    const machine = stateMachineOf(requiredString(body, "stateMachineArn"), machines);
    // "This API action is not supported by EXPRESS state machines" (ListExecutions' reference).
    if (machine.type === "EXPRESS")
      throw new StepFunctionsError(
        "StateMachineTypeNotSupported",
        "This operation is not supported by this type of state machine",
      );
    const status = statusFilterOf(optionalString(body, "statusFilter"));
    const listed = page(
      executions.ofStateMachine(machine.arn, status),
      optionalInteger(body, "maxResults", 0, MAX_PAGE_SIZE),
      optionalString(body, "nextToken"),
    );
    return {
      executions: listed.items.map(executionListItem),
      ...(listed.nextToken ? { nextToken: listed.nextToken } : {}),
    };
  },

  GetExecutionHistory(body, { executions }) {
    const record = executionOf(requiredString(body, "executionArn"), executions);
    const ordered = optionalBoolean(body, "reverseOrder") ? [...record.history].reverse() : record.history;
    // includeExecutionData=false: the events without their inputs, outputs and parameters.
    const events =
      optionalBoolean(body, "includeExecutionData") === false ? ordered.map(withoutExecutionData) : ordered;
    const listed = page(
      events,
      optionalInteger(body, "maxResults", 0, MAX_PAGE_SIZE),
      optionalString(body, "nextToken"),
    );
    return { events: listed.items, ...(listed.nextToken ? { nextToken: listed.nextToken } : {}) };
  },
};

function stateMachineOf(arn: string, machines: ReadonlyMap<string, LocalStateMachine>): LocalStateMachine {
  if (!isStateMachineArn(arn)) throw new StepFunctionsError("InvalidArn", `Invalid Arn: '${arn}'`);
  const machine = machines.get(arn);
  if (!machine) throw new StepFunctionsError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

/**
 * DescribeExecution and GetExecutionHistory know only Standard executions ("This API action is not
 * supported by EXPRESS state machines", their references): an Express execution's ARN is refused as
 * AWS refuses it, so nothing local reads what a deployed Express workflow would not give.
 */
function executionOf(arn: string, executions: Executions): ExecutionRecord {
  if (isExpressExecutionArn(arn))
    throw new StepFunctionsError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: express'`);
  if (!isExecutionArn(arn)) throw new StepFunctionsError("InvalidArn", `Invalid Arn: '${arn}'`);
  const record = executions.find(arn);
  if (!record) throw new StepFunctionsError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
  return record;
}

function statusFilterOf(value: string | undefined): ExecutionStatus | undefined {
  if (value === undefined) return undefined;
  if ((EXECUTION_STATUSES as readonly string[]).includes(value)) return value as ExecutionStatus;
  throw new StepFunctionsError(
    "ValidationException",
    `1 validation error detected: Value '${value}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(", ")}]`,
  );
}
