/** What the endpoint remembers of an execution, and how DescribeExecution and ListExecutions show it. */
import { epochSeconds } from "./aws-json";
import type { HistoryEvent } from "./execution-history";

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** The input exactly as StartExecution received it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
}

/** DescribeExecution: what ListExecutions says of it, plus input, output and failure. */
export function describeExecutionOutput(record: ExecutionRecord, includeData = true) {
  return {
    ...executionListItem(record),
    ...(includeData
      ? { input: record.input, inputDetails: { included: true } }
      : { inputDetails: { included: false } }),
    ...(record.output !== undefined
      ? includeData
        ? { output: record.output, outputDetails: { included: true } }
        : { outputDetails: { included: false } }
      : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
}

export function executionListItem(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
  };
}

/** `orderId` of the input when it has one, so that log records can be followed per order. */
export function orderIdOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null || !("orderId" in input)) return undefined;
  return typeof input.orderId === "string" ? input.orderId : undefined;
}
