/**
 * The CloudFormation outputs the operator commands read (declared in stacks/Callbacks.ts and
 * stacks/Orders.ts; test/infra asserts that the stacks have every one of them), and how a stage's
 * are read: one DescribeStacks per stack, through the standard credential chain.
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import * as Topology from "@awsomepets/core/platform/topology";
import { explainAwsError, type AwsCallContext } from "../aws-error-message";
import { CommandError } from "../cli-errors";
import type { StackLike } from "../stage-bus";
import type { OpsTarget } from "./ops-target";

export const STACK_OUTPUTS = {
  Callbacks: {
    clientCallbackTable: "ClientCallbackTable",
    callbackDeadLetterQueueUrl: "DeadLetterQueueUrl",
    callbackFunctionName: "CallbackFunctionName",
    eventBusArn: "EventBusArn",
    /** `npm run smoke`: the @connections API, and the topic every alarm of the stage notifies. */
    managementEndpoint: "ManagementEndpoint",
    alarmTopicArn: "AlarmTopicArn",
  },
  Orders: {
    ordersTable: "OrdersTable",
    projectionDeadLetterQueueUrl: "ProjectionDeadLetterQueueUrl",
    projectionFunctionName: "ProjectionFunctionName",
    eventArchiveArn: "EventArchiveArn",
    /** `npm run smoke`: the URLs customers use (CloudFront and WAF in front of both APIs). */
    edgeApiUrl: "EdgeApiUrl",
    edgeWebSocketUrl: "EdgeWebSocketUrl",
  },
} as const;

export type StackId = keyof typeof STACK_OUTPUTS;
type StageTarget = Extract<OpsTarget, { kind: "stage" }>;

/** The named outputs of one stack, or a one-line error naming the first that is missing. */
export function outputsOf<K extends string>(
  stack: StackLike | undefined,
  stackName: string,
  keys: readonly K[],
): Record<K, string> {
  if (!stack) throw new CommandError(`Stack ${stackName} was not found`);
  const values = {} as Record<K, string>;
  for (const key of keys) {
    const value = stack.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    if (!value)
      throw new CommandError(
        `Stack ${stackName} has no ${key} output (deploy this version of the app to the stage first)`,
      );
    values[key] = value;
  }
  return values;
}

/** SDK client configuration for a stage: its region, and its profile (which wins over env credentials). */
export const stageClientConfig = (target: StageTarget) => ({
  region: target.region,
  ...(target.profile && { profile: target.profile }),
});

export const stageContext = (target: StageTarget, endpoint: string): AwsCallContext => ({
  region: target.region,
  stage: target.stage,
  ...(target.profile && { profile: target.profile }),
  endpoint: `${endpoint} in ${target.region}`,
});

/** Reads the outputs the command needs from the stage's stacks. */
export async function readStageOutputs<
  S extends StackId,
  K extends (typeof STACK_OUTPUTS)[S][keyof (typeof STACK_OUTPUTS)[S]] & string,
>(
  target: StageTarget,
  stack: S,
  keys: readonly K[],
  describeStack?: (stackName: string) => Promise<StackLike | undefined>,
): Promise<Record<K, string>> {
  const stackName = Topology.stackName(target.stage, stack);
  const cloudFormation = describeStack ? undefined : new CloudFormationClient(stageClientConfig(target));
  const describe =
    describeStack ??
    (async (name: string) => (await cloudFormation!.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]);
  try {
    return outputsOf(await describe(stackName), stackName, keys);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(explainAwsError(error, { ...stageContext(target, "CloudFormation"), stackName }));
  } finally {
    cloudFormation?.destroy();
  }
}
