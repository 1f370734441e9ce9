/** The Lambda `context` a handler receives, built locally because no Lambda runtime is involved. */
import { DEFAULT_ACCOUNT as ACCOUNT, DEFAULT_REGION as REGION } from "./defaults";
import { newAwsRequestId } from "./gateway/ids";

/**
 * API Gateway gives up on an integration after 29 s whatever the function's own timeout, so that is
 * the most time a route handler can count on.
 */
export const INTEGRATION_TIMEOUT_MS = 29_000;


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

export function buildLambdaContext(functionName: string, timeoutMs = INTEGRATION_TIMEOUT_MS): LambdaContext {
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: newAwsRequestId(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${newAwsRequestId().replace(/-/g, "")}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
