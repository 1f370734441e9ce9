/**
 * The Lambda `context` a handler receives. The execution environment builds it (lambda/environment-worker.mjs,
 * plain JavaScript, so it keeps its own copy of this shape); this is its type for callers.
 */
import { newAwsRequestId } from "./gateway/ids";

export type LambdaContext = {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
};

/** `2026/11/26/[$LATEST]0f1e…`: the day, the version, and an id of the execution environment. */
export function newLogStreamName() {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  return `${day}/[$LATEST]${newAwsRequestId().replace(/-/g, "")}`;
}
