/**
 * `npm run deploy`'s account checks, without AWS: the account's Lambda concurrency (as
 * GetAccountSettings returns it) against the stage's need from the capacity model, and the deployed
 * workflow type (as DescribeStacks returns the Orders stack) against the one about to be deployed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOAD, lambdaConcurrencyNeed, perOrder, type CostFigures } from "../bench/capacity/model";
import * as Tunables from "@awsomepets/core/platform/tunables";
import {
  concurrencyFindings,
  CONCURRENCY_QUOTA_CODE,
  deployedWorkflowType,
  isMissingStack,
  OVERRIDE_FLAG,
  WORKFLOW_TYPE_OUTPUT,
  workflowSwitchFindings,
} from "../scripts/deploy-checks";

const figures = JSON.parse(readFileSync("bench/cost-summary.json", "utf8")) as CostFigures;
const need = { ordersPerSecond: 20, unreserved: 4, reserved: 0 };

describe("lambdaConcurrencyNeed", () => {
  it("is the stage's peak (what npm run capacity says it carries) times each order's concurrency, rounded up", () => {
    const computed = lambdaConcurrencyNeed(figures);
    expect(computed.ordersPerSecond).toBe(20); // the $connect throttle binds first (docs/capacity.md)
    // 20 orders/s × the Lambda seconds of one order in the committed figures, rounded up: a rerun of
    // the cost bench moves the seconds, not the rule.
    const seconds = perOrder(figures, DEFAULT_LOAD).concurrency;
    expect(seconds).toBeGreaterThan(0);
    expect(computed.unreserved).toBe(Math.ceil(20 * seconds));
    expect(computed.reserved).toBe(0);
  });
});

describe("concurrencyFindings", () => {
  it("says nothing for an account with the default 1,000", () => {
    expect(
      concurrencyFindings({ concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000 }, need, "eu-west-1"),
    ).toEqual([]);
  });

  it("warns, in one line with the request to make, when the stage fits in less than 1,000", () => {
    const [finding, ...rest] = concurrencyFindings(
      { concurrentExecutions: 10, unreservedConcurrentExecutions: 10 },
      need,
      "eu-west-1",
    );
    expect(rest).toEqual([]);
    expect(finding!.refuse).toBe(false);
    expect(finding!.line).not.toContain("\n");
    expect(finding!.line).toMatch(/warning: eu-west-1's Lambda concurrency is 10, below the 1,000/);
    expect(finding!.line).toContain(`--quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value 1000 --region eu-west-1`);
  });

  it("refuses when the unreserved pool cannot run the stage's peak, naming the value to request and the override", () => {
    const [finding] = concurrencyFindings(
      { concurrentExecutions: 10, unreservedConcurrentExecutions: 2 },
      need,
      "us-east-1",
    );
    expect(finding!.refuse).toBe(true);
    expect(finding!.line).toMatch(
      /needs 4 concurrent executions at its peak \(20 orders\/s, npm run capacity\) but us-east-1 leaves it 2 unreserved/,
    );
    expect(finding!.line).toContain("--desired-value 12 ");
    expect(finding!.line).toContain(OVERRIDE_FLAG);
  });

  it("refuses a reservation that would leave Lambda fewer than its 100 unreserved executions", () => {
    const findings = concurrencyFindings(
      { concurrentExecutions: 150, unreservedConcurrentExecutions: 150 },
      { ...need, reserved: 60 },
      "us-east-1",
    );
    expect(findings[0]).toMatchObject({ refuse: true });
    expect(findings[0]!.line).toMatch(/reserves 60 .* Lambda keeps 100: .*--desired-value 160 /);
  });
});

describe("deployedWorkflowType", () => {
  const outputs = (value?: string) => ({
    StackStatus: "UPDATE_COMPLETE",
    Outputs: [
      { OutputKey: "OrdersTable", OutputValue: "t" },
      ...(value ? [{ OutputKey: WORKFLOW_TYPE_OUTPUT, OutputValue: value }] : []),
    ],
  });

  it("is the Orders stack's OrderWorkflowType output", () => {
    expect(deployedWorkflowType(outputs("EXPRESS"))).toBe("EXPRESS");
    expect(deployedWorkflowType(outputs("STANDARD"))).toBe("STANDARD");
  });

  it("is STANDARD for a stage deployed before the output existed", () => {
    expect(deployedWorkflowType(outputs())).toBe("STANDARD");
  });

  it("is undefined when no machine runs: no stack, or a first deploy that rolled back", () => {
    expect(deployedWorkflowType(undefined)).toBeUndefined();
    expect(deployedWorkflowType({ StackStatus: "ROLLBACK_COMPLETE" })).toBeUndefined();
  });

  it("refuses an output it does not know, naming it", () => {
    expect(() => deployedWorkflowType(outputs("express"))).toThrow(
      /OrderWorkflowType output is "express", not one of STANDARD, EXPRESS/,
    );
  });

  it("recognises DescribeStacks' error for a stack that does not exist, and only that one", () => {
    const error = (name: string, message: string) => Object.assign(new Error(message), { name });
    expect(isMissingStack(error("ValidationError", "Stack with id prod-awsomepets-Orders does not exist"))).toBe(true);
    expect(
      isMissingStack(error("AccessDenied", "User is not authorized to perform cloudformation:DescribeStacks")),
    ).toBe(false);
    expect(isMissingStack(error("ValidationError", "1 validation error detected"))).toBe(false);
  });
});

describe("workflowSwitchFindings", () => {
  const deploying = (env: Record<string, string>) => Tunables.readChoices(env);

  it("refuses the plain deploy of the new default to a stage that runs Standard, in one line saying what to set", () => {
    const [finding, ...rest] = workflowSwitchFindings("prod", "STANDARD", deploying({}));
    expect(rest).toEqual([]);
    expect(finding!.refuse).toBe(true);
    expect(finding!.line).not.toContain("\n");
    expect(finding!.line).toMatch(
      /^deploy: stage prod runs the STANDARD order workflow; deploying EXPRESS without draining/,
    );
    expect(finding!.line).toContain("ORDER_WORKFLOW_TYPE=EXPRESS ORDER_WORKFLOW_DRAINING=STANDARD first");
    expect(finding!.line).toContain("or keep ORDER_WORKFLOW_TYPE=STANDARD");
    expect(finding!.line).toContain("Switching a live stage");
  });

  it("refuses a switch back to Standard unless Express is drained", () => {
    expect(
      workflowSwitchFindings("prod", "EXPRESS", deploying({ ORDER_WORKFLOW_TYPE: "STANDARD" }))[0]!.line,
    ).toContain("ORDER_WORKFLOW_TYPE=STANDARD ORDER_WORKFLOW_DRAINING=EXPRESS first");
    expect(
      workflowSwitchFindings(
        "prod",
        "EXPRESS",
        deploying({ ORDER_WORKFLOW_TYPE: "STANDARD", ORDER_WORKFLOW_DRAINING: "EXPRESS" }),
      ),
    ).toEqual([]);
  });

  it("lets through the switch's two deploys, a redeploy of the same type and a new stage", () => {
    expect(workflowSwitchFindings("prod", "STANDARD", deploying({ ORDER_WORKFLOW_DRAINING: "STANDARD" }))).toEqual([]);
    expect(workflowSwitchFindings("prod", "EXPRESS", deploying({}))).toEqual([]);
    expect(workflowSwitchFindings("prod", "STANDARD", deploying({ ORDER_WORKFLOW_TYPE: "STANDARD" }))).toEqual([]);
    expect(workflowSwitchFindings("new", undefined, deploying({}))).toEqual([]);
  });
});
