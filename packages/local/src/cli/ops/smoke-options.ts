/**
 * `npm run smoke`'s flags and usage, checked before anything is read: which stage (`--stage` or
 * `--local`, never a default: a smoke places orders), and `--probe-throttle` refused where the
 * deploy setting says the stage keeps data.
 */
import * as Topology from "@awsomepets/core/platform/topology";
import { HelpRequested, UsageError } from "../cli-errors";
import { parseFlags } from "../parse-flags";
import { parseStage } from "../stage-option";
import type { OpsTarget } from "./ops-target";

export const PROBE_REFUSAL = "--probe-throttle throttles every socket of the stage for about a second";

export const SMOKE_USAGE = `Usage: npm run smoke -- (--stage <name> [--region <region>] [--profile <profile>] | --local) [--probe-throttle]
Checks a stage after a deploy against every assumption npm start makes about AWS, through the URLs
customers use: one line each, PASS, FAIL or SKIP, the assumption, what it saw. Places two orders
(one refunded, one sold out: nothing shipped, nothing charged in the end).
Exit 0: nothing failed; 1: the first check that failed (the run stops there); 2: usage.
  --stage <name>    a deployed stage (AWS credentials as the AWS CLI finds them; its stacks' outputs)
  --local           the running \`npm start\` (found through .sst/local/runtime.json)
  --probe-throttle  also sends a burst of messages until API Gateway throttles them, to check its frame;
                    that throttles every socket of the stage for about a second, so it is refused on a
                    stage that keeps data (run it with ${Topology.DEPLOY_ENV.disposableStage}=true, on a stage deployed with it)`;

/** The flags, checked before anything is read; `--help` wins. */
export function readSmokeFlags(argv: string[], env: NodeJS.ProcessEnv): { target: OpsTarget; probeThrottle: boolean } {
  const values = parseFlags(argv, {
    stage: { type: "string" },
    region: { type: "string" },
    profile: { type: "string" },
    local: { type: "boolean" },
    "probe-throttle": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) throw new HelpRequested();
  const probeThrottle = values["probe-throttle"] === true;
  if (values.local && values.stage !== undefined) throw new UsageError("give --stage <name> or --local, not both");
  if (values.local) {
    const stageOnly = (["region", "profile"] as const).filter((n) => values[n] !== undefined).map((n) => `--${n}`);
    if (stageOnly.length) throw new UsageError(`${stageOnly.join(", ")} only apply with --stage`);
    return { target: { kind: "local" }, probeThrottle };
  }
  if (values.stage === undefined)
    throw new UsageError("say which stage to check: --stage <name>, or --local for the running npm start");
  const stage = parseStage(values.stage);
  if (probeThrottle) {
    let keepsData: boolean;
    try {
      keepsData = Topology.stageKeepsData(env);
    } catch (error) {
      throw new UsageError((error as Error).message, false);
    }
    if (keepsData) {
      throw new UsageError(
        `${PROBE_REFUSAL}: refused on stage ${stage}, which keeps its data (${Topology.DEPLOY_ENV.disposableStage}=true is not set here; the probe runs only with it, on a stage deployed with it)`,
        false,
      );
    }
  }
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  return {
    target: { kind: "stage", stage, region, ...(values.profile && { profile: values.profile }) },
    probeThrottle,
  };
}
