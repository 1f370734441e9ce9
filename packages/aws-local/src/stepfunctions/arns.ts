/** The ARNs Step Functions gives state machines and their executions. */

export const stateMachineArn = (region: string, account: string, name: string) =>
  `arn:aws:states:${region}:${account}:stateMachine:${name}`;

export const executionArn = (region: string, account: string, stateMachineName: string, executionName: string) =>
  `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${executionName}`;

/** Shape only: a well-formed ARN of a state machine that is not configured is "does not exist", not "invalid". */
export const isStateMachineArn = (arn: string) =>
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]{1,80}$/.test(arn);

export const isExecutionArn = (arn: string) =>
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]{1,80}:[^:\s]{1,80}$/.test(arn);

/**
 * An Express execution's ARN: Step Functions gives each its own, even under one name (names are not
 * unique for Express), as `…:express:<state machine>:<name>:<id>`.
 */
export const expressExecutionArn = (
  region: string,
  account: string,
  stateMachineName: string,
  executionName: string,
  id: string,
) => `arn:aws:states:${region}:${account}:express:${stateMachineName}:${executionName}:${id}`;

export const isExpressExecutionArn = (arn: string) =>
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:express:[^:\s]{1,80}:[^:\s]{1,80}:[^:\s]+$/.test(arn);
