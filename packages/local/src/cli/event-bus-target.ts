/**
 * Where `publish-status` sends its events: an EventBridge client and a bus name, either for the
 * local runtime (endpoint and bus from its state file, dummy credentials) or for a deployed stage
 * (standard credential chain, bus name from the stack's output).
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { explainAwsError, type AwsCallContext } from "./aws-error-message";
import { CommandError } from "./cli-errors";
import { readRunningRuntime } from "./local-runtime";
import type { PublishTarget } from "./publish-status-options";
import { callbacksStackName, resolveStageBusName } from "./stage-bus";

export type EventBusTarget = {
  client: EventBridgeClient;
  eventBusName: string;
  /** Says where the calls went, for the one-line error when one fails. */
  context: AwsCallContext;
};

/** The local endpoints check no signature; real credentials must never be sent to them. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

function localTarget(target: Extract<PublishTarget, { kind: "local" }>, stateFile?: string): EventBusTarget {
  // The state file is only needed for what the flags did not give.
  const state = target.endpointUrl && target.eventBusName ? undefined : readRunningRuntime(stateFile);
  const endpoint = target.endpointUrl ?? state!.endpoints.events;
  const region = state?.region ?? "us-east-1";
  return {
    client: new EventBridgeClient({ endpoint, region, credentials: LOCAL_CREDENTIALS }),
    eventBusName: target.eventBusName ?? state!.eventBusName,
    context: { endpoint },
  };
}

async function stageTarget(target: Extract<PublishTarget, { kind: "stage" }>): Promise<EventBusTarget> {
  // The client's `profile` selects the profile for credentials exactly like AWS_PROFILE (the
  // profile wins over AWS_ACCESS_KEY_ID in the environment), without touching process.env.
  const config = { region: target.region, ...(target.profile && { profile: target.profile }) };
  const stackName = callbacksStackName(target.stage);
  const context: AwsCallContext = {
    region: target.region,
    stage: target.stage,
    stackName,
    ...(target.profile && { profile: target.profile }),
  };
  const cloudFormation = new CloudFormationClient(config);
  try {
    const eventBusName = await resolveStageBusName(target.stage, async (name) => {
      const output = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
      return output.Stacks?.[0];
    });
    return {
      client: new EventBridgeClient(config),
      eventBusName,
      context: { ...context, endpoint: `EventBridge in ${target.region}` },
    };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(explainAwsError(error, { ...context, endpoint: `CloudFormation in ${target.region}` }));
  } finally {
    cloudFormation.destroy();
  }
}

export function openEventBusTarget(target: PublishTarget, stateFile?: string): Promise<EventBusTarget> {
  return target.kind === "local" ? Promise.resolve(localTarget(target, stateFile)) : stageTarget(target);
}
