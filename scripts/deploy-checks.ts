/**
 * `npm run deploy`'s checks of the AWS account, as pure functions of values fetched by the script
 * (scripts/deploy.ts does the calls): each problem is one line saying what to request or set.
 */
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
    findings.push({ refuse: true, line: `deploy: the stage reserves ${n(need.reserved)} Lambda executions but ${region} has ${n(unreserved)} unreserved and Lambda keeps ${MINIMUM_UNRESERVED}: ${request(region, atLeast)}, or lower reservedConcurrency in Topology.FUNCTION_RUNTIME` });
  }
  const free = unreserved - need.reserved;
  if (free < need.unreserved) {
    findings.push({ refuse: true, line: `deploy: the stage needs ${peak} but ${region} leaves it ${n(Math.max(free, 0))} unreserved: ${request(region, limit + need.unreserved - free)}, or deploy anyway with ${OVERRIDE_FLAG}` });
  } else if (limit < QUOTAS.lambdaConcurrentExecutions.value) {
    findings.push({ refuse: false, line: `deploy: warning: ${region}'s Lambda concurrency is ${n(limit)}, below the ${n(QUOTAS.lambdaConcurrentExecutions.value)} docs/capacity.md assumes; the stage needs ${peak}, shared with every other function of the account: ${request(region, QUOTAS.lambdaConcurrentExecutions.value)}` });
  }
  return findings;
}
