/**
 * `npm run deploy`'s checks of the AWS account, as pure functions of values fetched by the script
 * (scripts/deploy-account.ts does the calls): each problem is one line saying what to request or set.
 */
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { QUOTAS } from "../bench/capacity/quotas";

/** Lambda's `GetAccountSettings`: `AccountLimit.ConcurrentExecutions` and `UnreservedConcurrentExecutions`. */
export type LambdaAccount = { concurrentExecutions: number; unreservedConcurrentExecutions: number };
/** What the stage needs (bench/capacity/model.ts `lambdaConcurrencyNeed`). */
export type ConcurrencyNeed = { ordersPerSecond: number; unreserved: number; reserved: number };
export type Finding = { refuse: boolean; line: string };

/** Lambda keeps at least this many executions unreserved: a reservation that would leave fewer fails. */
export const MINIMUM_UNRESERVED = 100;
/** Service Quotas' code of Lambda's "Concurrent executions". */
export const CONCURRENCY_QUOTA_CODE = "L-B99A9384";
export const OVERRIDE_FLAG = "--accept-low-concurrency";

const n = (value: number) => value.toLocaleString("en-US");
const request = (region: string, atLeast: number) =>
  `request Lambda "Concurrent executions" ≥ ${n(atLeast)} in ${region} (aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${atLeast} --region ${region})`;

/**
 * Refuses when the account cannot run the stage's peak or hold its reservations; warns when it can but
 * has less than the 1,000 executions docs/capacity.md assumes (new accounts may start far lower).
 * On a redeploy the stage's own reservations are already out of `unreserved`, so a stage that declares
 * some is checked as if new (stricter than needed; none declares any today).
 */
export function concurrencyFindings(account: LambdaAccount, need: ConcurrencyNeed, region: string): Finding[] {
  const { concurrentExecutions: limit, unreservedConcurrentExecutions: unreserved } = account;
  const findings: Finding[] = [];
  const peak = `${n(need.unreserved)} concurrent executions at its peak (${n(Math.round(need.ordersPerSecond * 10) / 10)} orders/s, npm run capacity)`;
  if (need.reserved > 0 && unreserved - need.reserved < MINIMUM_UNRESERVED) {
    const atLeast = limit + MINIMUM_UNRESERVED - (unreserved - need.reserved);
    findings.push({
      refuse: true,
      line: `deploy: the stage reserves ${n(need.reserved)} Lambda executions but ${region} has ${n(unreserved)} unreserved and Lambda keeps ${MINIMUM_UNRESERVED}: ${request(region, atLeast)}, or lower reservedConcurrency in Topology.FUNCTION_RUNTIME`,
    });
  }
  const free = unreserved - need.reserved;
  if (free < need.unreserved) {
    findings.push({
      refuse: true,
      line: `deploy: the stage needs ${peak} but ${region} leaves it ${n(Math.max(free, 0))} unreserved: ${request(region, limit + need.unreserved - free)}, or deploy anyway with ${OVERRIDE_FLAG}`,
    });
  } else if (limit < QUOTAS.lambdaConcurrentExecutions.value) {
    findings.push({
      refuse: false,
      line: `deploy: warning: ${region}'s Lambda concurrency is ${n(limit)}, below the ${n(QUOTAS.lambdaConcurrentExecutions.value)} docs/capacity.md assumes; the stage needs ${peak}, shared with every other function of the account: ${request(region, QUOTAS.lambdaConcurrentExecutions.value)}`,
    });
  }
  return findings;
}

/** CloudFormation's `DescribeStacks` answer for one stack, as far as the checks read it. */
export type DeployedStack = { StackStatus?: string; Outputs?: Array<{ OutputKey?: string; OutputValue?: string }> };
/** The Orders stack's output naming the workflow type it deployed (stacks/Orders.ts). */
export const WORKFLOW_TYPE_OUTPUT = "OrderWorkflowType";
/** Stacks whose resources are all gone (a first deploy that rolled back) or never made: no machine runs. */
const NOTHING_DEPLOYED = new Set(["ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS", "DELETE_COMPLETE"]);

/**
 * DescribeStacks' error for a stack that does not exist (the SDK's ValidationError; AWS has no code of its own for it).
 */
export const isMissingStack = (error: unknown) =>
  (error as Error)?.name === "ValidationError" && /does not exist/i.test((error as Error).message ?? "");

/**
 * The workflow type a stage runs, from its Orders stack: undefined when none runs (no stack, or one
 * whose creation rolled back). A stack deployed before the output existed ran Standard, the only
 * type there was.
 */
export function deployedWorkflowType(stack: DeployedStack | undefined): Topology.WorkflowType | undefined {
  if (!stack || NOTHING_DEPLOYED.has(stack.StackStatus ?? "")) return undefined;
  const output = stack.Outputs?.find((o) => o.OutputKey === WORKFLOW_TYPE_OUTPUT)?.OutputValue;
  if (output === undefined) return "STANDARD";
  if ((Topology.WORKFLOW_TYPES as readonly string[]).includes(output)) return output as Topology.WorkflowType;
  throw new Error(
    `the Orders stack's ${WORKFLOW_TYPE_OUTPUT} output is "${output}", not one of ${Topology.WORKFLOW_TYPES.join(", ")}`,
  );
}

/**
 * Refuses a switch of type that is not drained: each type has its own state machine, so deploying the
 * other type without `ORDER_WORKFLOW_DRAINING` naming the deployed one makes CloudFormation delete the
 * machine under its running executions (docs/deploy-and-operate.md, "Switching a live stage").
 */
export function workflowSwitchFindings(
  stage: string,
  deployed: Topology.WorkflowType | undefined,
  choices: Tunables.Choices,
): Finding[] {
  const { orderWorkflowType: next, orderWorkflowDraining: draining } = choices;
  if (!deployed || deployed === next || draining === deployed) return [];
  const type = Tunables.CHOICES.orderWorkflowType.variable;
  const drain = Tunables.CHOICES.orderWorkflowDraining.variable;
  return [
    {
      refuse: true,
      line: `deploy: stage ${stage} runs the ${deployed} order workflow; deploying ${next} without draining would delete it under its running orders: deploy ${type}=${next} ${drain}=${deployed} first, then without ${drain} once none runs, or keep ${type}=${deployed} (docs/deploy-and-operate.md, "Switching a live stage")`,
    },
  ];
}
