/**
 * `npm run deploy -- --stage <name> [--accept-low-concurrency] [sst deploy options]`: checks that the
 * stage's callback-token secret is set and long enough, and is the stage's own unless the stage is
 * disposable (`DISPOSABLE_STAGE=true`; stacks/secret-policy.ts), and that the account's Lambda
 * concurrency in the region runs the stage's peak and that a stage already deployed is not switched
 * to the other workflow type undrained (scripts/deploy-checks.ts), then runs `sst deploy`
 * with the same options. Exits 1 with the fix when a check fails, with sst's exit code otherwise.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import * as StageName from "@awsomepets/core/platform/stage-name";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { OVERRIDE_FLAG } from "./deploy-checks";

const USAGE = `usage: npm run deploy -- --stage <name> [${OVERRIDE_FLAG}] [other sst deploy options]`;
const args = process.argv.slice(2).filter((arg) => arg !== OVERRIDE_FLAG);
const acceptLowConcurrency = args.length < process.argv.length - 2;
if (args.includes("--help") || args.includes("-h")) {
  console.log(
    `${USAGE}\nChecks the stage name, the stage's CallbackTokenSecret (set, at least 32 characters, not the app-wide fallback unless DISPOSABLE_STAGE=true), the account's Lambda concurrency in the region against the stage's peak (npm run capacity; ${OVERRIDE_FLAG} deploys anyway) and, for a stage already deployed, that ORDER_WORKFLOW_TYPE keeps its workflow type or ORDER_WORKFLOW_DRAINING names the deployed one (docs/deploy-and-operate.md, "Switching a live stage"), then runs sst deploy.`,
  );
  process.exit(0);
}
const { values } = parseArgs({ args, options: { stage: { type: "string" } }, strict: false, allowPositionals: true });
const stage = typeof values.stage === "string" ? values.stage : undefined;
if (!stage) {
  console.error(`deploy: the stage is required (${USAGE})`);
  process.exit(2);
}
const stageProblem = StageName.stageNameProblem(stage);
if (stageProblem) {
  console.error(`deploy: ${stageProblem}`);
  process.exit(2);
}
let keepsData: boolean;
let choices: Tunables.Choices;
try {
  keepsData = Topology.stageKeepsData(process.env);
  choices = Tunables.readChoices(process.env);
} catch (error) {
  console.error(`deploy: ${(error as Error).message}`);
  process.exit(2);
}

// Loaded once the arguments are known good: SST's modules take seconds to import.
const [{ Config }, { initProject }, { tokenSecretProblem }] = await Promise.all([
  import("sst/config.js"),
  import("sst/project.js"),
  import("../stacks/secret-policy"),
]);
try {
  await initProject({ stage });
  const problem = tokenSecretProblem(stage, await Config.secrets(), keepsData);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
} catch (error) {
  console.error(`Could not read the stage's secrets from SSM (are AWS credentials set?): ${(error as Error).message}`);
  process.exit(1);
}

// The account's Lambda concurrency against the stage's peak (new accounts may have far less than 1,000),
// then a stage already deployed keeps its workflow type unless the other is drained.
const { checkLambdaConcurrency, checkWorkflowSwitch } = await import("./deploy-account");
if (!(await checkLambdaConcurrency(acceptLowConcurrency, choices.orderWorkflowType))) process.exit(1);
if (!(await checkWorkflowSwitch(stage, choices))) process.exit(1);

const sst = spawn(path.resolve("node_modules", ".bin", "sst"), ["deploy", ...args], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => sst.kill(signal));
sst.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
