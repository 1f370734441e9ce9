/**
 * A deployed stage's event bus name, read from its Callbacks stack's `EventBusName` output (the
 * name carries a suffix chosen by CDK at deploy, so it cannot be guessed from the stage).
 * `describeStack` is injected: the command passes CloudFormation's DescribeStacks, tests a stub.
 */
import * as Topology from "@awsomepets/core/platform/topology";
import { CommandError } from "./cli-errors";

export const EVENT_BUS_OUTPUT = "EventBusName";

/** SST v2 names a stack `<stage>-<app>-<stack id>`. */
export const callbacksStackName = (stage: string) => Topology.stackName(stage, "Callbacks");

export type StackLike = { StackName?: string; Outputs?: Array<{ OutputKey?: string; OutputValue?: string }> };

export function eventBusNameFromStack(stack: StackLike | undefined, stackName: string) {
  if (!stack) throw new CommandError(`Stack ${stackName} was not found`);
  const output = stack.Outputs?.find((o) => o.OutputKey === EVENT_BUS_OUTPUT);
  if (!output?.OutputValue) {
    throw new CommandError(`Stack ${stackName} has no ${EVENT_BUS_OUTPUT} output (is its deployment finished?)`);
  }
  return output.OutputValue;
}

export async function resolveStageBusName(
  stage: string,
  describeStack: (stackName: string) => Promise<StackLike | undefined>,
) {
  const stackName = callbacksStackName(stage);
  return eventBusNameFromStack(await describeStack(stackName), stackName);
}
