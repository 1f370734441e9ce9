/**
 * `npm run deploy`'s account checks, without AWS: the account's Lambda concurrency (as
 * GetAccountSettings returns it) against the stage's need from the capacity model.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOAD, lambdaConcurrencyNeed, perOrder, type CostFigures } from "../bench/capacity/model";
import { concurrencyFindings, CONCURRENCY_QUOTA_CODE, OVERRIDE_FLAG } from "../scripts/deploy-checks";

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
    expect(concurrencyFindings({ concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000 }, need, "eu-west-1")).toEqual([]);
  });

  it("warns, in one line with the request to make, when the stage fits in less than 1,000", () => {
    const [finding, ...rest] = concurrencyFindings({ concurrentExecutions: 10, unreservedConcurrentExecutions: 10 }, need, "eu-west-1");
    expect(rest).toEqual([]);
    expect(finding!.refuse).toBe(false);
    expect(finding!.line).not.toContain("\n");
    expect(finding!.line).toMatch(/warning: eu-west-1's Lambda concurrency is 10, below the 1,000/);
    expect(finding!.line).toContain(`--quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value 1000 --region eu-west-1`);
  });

  it("refuses when the unreserved pool cannot run the stage's peak, naming the value to request and the override", () => {
    const [finding] = concurrencyFindings({ concurrentExecutions: 10, unreservedConcurrentExecutions: 2 }, need, "us-east-1");
    expect(finding!.refuse).toBe(true);
    expect(finding!.line).toMatch(/needs 4 concurrent executions at its peak \(20 orders\/s, npm run capacity\) but us-east-1 leaves it 2 unreserved/);
    expect(finding!.line).toContain("--desired-value 12 ");
    expect(finding!.line).toContain(OVERRIDE_FLAG);
  });

  it("refuses a reservation that would leave Lambda fewer than its 100 unreserved executions", () => {
    const findings = concurrencyFindings({ concurrentExecutions: 150, unreservedConcurrentExecutions: 150 }, { ...need, reserved: 60 }, "us-east-1");
    expect(findings[0]).toMatchObject({ refuse: true });
    expect(findings[0]!.line).toMatch(/reserves 60 .* Lambda keeps 100: .*--desired-value 160 /);
  });
});
