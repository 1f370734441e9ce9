/**
 * `npm run smoke -- --stage <name>` (or `--local`): after a deploy, checks the stage against every
 * assumption `npm start`'s model makes about AWS, through the URLs customers use; one line each
 * (smoke-report.ts); the flags in smoke-options.ts, the checks in smoke-checks.ts, where they run in smoke-target.ts.
 * Exit 0: none failed; 1: the first that failed (the run stops there), or the stage could not be read; 2: usage.
 */
import { processIo, runAsScript } from "../run-command";
import { runChecks } from "./smoke-checks";
import { PROBE_REFUSAL, readSmokeFlags, SMOKE_USAGE } from "./smoke-options";
import { SmokeReport, SmokeStopped } from "./smoke-report";
import { localTarget, stageTarget, type SmokeTarget } from "./smoke-target";

async function smoke(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { target, probeThrottle } = readSmokeFlags(argv, env);
  const smokeTarget: SmokeTarget = target.kind === "local" ? localTarget() : await stageTarget(target);
  try {
    if (probeThrottle) await smokeTarget.refuseIfKeepsData(PROBE_REFUSAL);
    out(`Checking ${smokeTarget.describe}`);
    const report = new SmokeReport(out);
    try {
      await runChecks(smokeTarget, report, { probeThrottle });
    } catch (error) {
      if (error instanceof SmokeStopped) return 1;
      throw error;
    }
    const count = (outcome: string) => report.outcomes.filter((o) => o === outcome).length;
    out(`${count("PASS")} passed, ${count("SKIP")} skipped, none failed`);
    return 0;
  } finally {
    smokeTarget.close();
  }
}

runAsScript("smoke", SMOKE_USAGE, () => smoke(process.argv.slice(2), process.env, processIo.out));
