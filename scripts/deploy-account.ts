/**
 * The AWS side of `npm run deploy`'s account checks, kept thin: fetch, then judge with the pure
 * functions of ./deploy-checks.ts. Uses SST's credentials and region (after `initProject`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { useAWSClient } from "sst/credentials.js";
import { lambdaConcurrencyNeed, type CostFigures } from "../bench/capacity/model";
import { concurrencyFindings, OVERRIDE_FLAG } from "./deploy-checks";

const FIGURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bench", "cost-summary.json");

/** Prints one line per finding; false when the deploy must stop (unless accepted). */
export async function checkLambdaConcurrency(accept: boolean) {
  const client = useAWSClient(LambdaClient);
  const region = await client.config.region();
  let settings;
  try {
    settings = await client.send(new GetAccountSettingsCommand({}));
  } catch (error) {
    console.error(`deploy: could not read the account's Lambda settings in ${region} (lambda:GetAccountSettings): ${(error as Error).message}`);
    return false;
  }
  // The committed figures, as `npm run capacity` and docs/capacity.md use them.
  const figures = JSON.parse(readFileSync(FIGURES, "utf8")) as CostFigures;
  const account = {
    concurrentExecutions: settings.AccountLimit?.ConcurrentExecutions ?? 0,
    unreservedConcurrentExecutions: settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
  };
  let ok = true;
  for (const finding of concurrencyFindings(account, lambdaConcurrencyNeed(figures), region)) {
    console.error(finding.refuse && accept ? `${finding.line} (accepted: ${OVERRIDE_FLAG})` : finding.line);
    if (finding.refuse && !accept) ok = false;
  }
  return ok;
}
