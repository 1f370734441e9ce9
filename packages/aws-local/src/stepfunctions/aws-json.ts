/**
 * The AWS JSON 1.0 protocol Step Functions speaks: `X-Amz-Target: AWSStepFunctions.<Operation>`, errors by `__type`.
 */
import type { ServerResponse } from "node:http";
import { sendAwsError, sendJson } from "../http/index";

export const TARGET_PREFIX = "AWSStepFunctions.";

/** A client error the SDK turns into the named exception (e.g. `ExecutionAlreadyExists`). */
export class StepFunctionsError extends Error {
  override readonly name = "StepFunctionsError";
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendResult(res: ServerResponse, body: unknown): void {
  sendJson(res, 200, body, "json-1.0");
}

/** The SDKs read the type from `x-amzn-errortype` or `__type`. */
export function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendAwsError(res, status, type, message, "json-1.0");
}

/** Timestamps travel as epoch seconds (with a fraction for milliseconds). */
export const epochSeconds = (date: Date) => date.getTime() / 1000;
