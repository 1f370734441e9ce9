/** The Lambda `context` a handler receives, built locally because no Lambda runtime is involved. */
import { DEFAULT_ACCOUNT as ACCOUNT, DEFAULT_REGION as REGION } from "./defaults";
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

export type InvocationLimits = {
  /** When the invocation times out (epoch ms): the function's timeout after the invocation started. */
  deadline: number;
  memoryMB: number;
  awsRequestId?: string;
  /** One per execution environment, as in CloudWatch. */
  logStreamName?: string;
};

export function buildLambdaContext(functionName: string, limits: InvocationLimits): LambdaContext {
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(limits.memoryMB),
    awsRequestId: limits.awsRequestId ?? newAwsRequestId(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: limits.logStreamName ?? newLogStreamName(),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, limits.deadline - Date.now()),
  };
}

/** `2026/11/26/[$LATEST]0f1e…`: the day, the version, and an id of the execution environment. */
export function newLogStreamName() {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  return `${day}/[$LATEST]${newAwsRequestId().replace(/-/g, "")}`;
}
