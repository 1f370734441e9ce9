/**
 * The AWS side of `npm run deploy`'s account checks, kept thin: fetch, then judge with the pure
 * functions of ./deploy-checks.ts. Uses SST's credentials and region (after `initProject`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetAccountSettingsCommand, type GetAccountSettingsCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { useAWSClient } from "sst/credentials.js";
import * as Topology from "@awsomepets/core/platform/topology";
import type * as Tunables from "@awsomepets/core/platform/tunables";
import { DEFAULT_LOAD, lambdaConcurrencyNeed, type CostFigures } from "../bench/capacity/model";
import {
  concurrencyFindings,
  deployedWorkflowType,
  isMissingStack,
  OVERRIDE_FLAG,
  workflowSwitchFindings,
  type DeployedStack,
} from "./deploy-checks";

const FIGURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bench", "cost-summary.json");

/** Prints one line per finding; false when the deploy must stop (unless accepted). */
export async function checkLambdaConcurrency(accept: boolean, workflowType: Topology.WorkflowType) {
  const client = useAWSClient(LambdaClient);
  const region = await client.config.region();
  let settings: GetAccountSettingsCommandOutput;
  try {
    settings = await client.send(new GetAccountSettingsCommand({}));
  } catch (error) {
    console.error(
      `deploy: could not read the account's Lambda settings in ${region} (lambda:GetAccountSettings): ${(error as Error).message}`,
    );
    return false;
  }
  // The committed figures, as `npm run capacity` and docs/capacity.md use them.
  const figures = JSON.parse(readFileSync(FIGURES, "utf8")) as CostFigures;
  const account = {
    concurrentExecutions: settings.AccountLimit?.ConcurrentExecutions ?? 0,
    unreservedConcurrentExecutions: settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
  };
  let ok = true;
  for (const finding of concurrencyFindings(
    account,
    lambdaConcurrencyNeed(figures, { ...DEFAULT_LOAD, workflowType }),
    region,
  )) {
    console.error(finding.refuse && accept ? `${finding.line} (accepted: ${OVERRIDE_FLAG})` : finding.line);
    if (finding.refuse && !accept) ok = false;
  }
  return ok;
}

/**
 * The stage's deployed workflow type (its Orders stack's output) against the one about to be deployed:
 * prints the refusal and returns false for an undrained switch. No override: the fix is a setting.
 */
export async function checkWorkflowSwitch(stage: string, choices: Tunables.Choices) {
  const client = useAWSClient(CloudFormationClient);
  const name = Topology.stackName(stage, "Orders");
  let stack: DeployedStack | undefined;
  try {
    stack = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (error) {
    if (!isMissingStack(error)) {
      console.error(
        `deploy: could not read stack ${name} in ${await client.config.region()} (cloudformation:DescribeStacks): ${(error as Error).message}`,
      );
      return false;
    }
  }
  let deployed: Topology.WorkflowType | undefined;
  try {
    deployed = deployedWorkflowType(stack);
  } catch (error) {
    console.error(`deploy: ${(error as Error).message}`);
    return false;
  }
  const findings = workflowSwitchFindings(stage, deployed, choices);
  for (const finding of findings) console.error(finding.line);
  return findings.length === 0;
}
