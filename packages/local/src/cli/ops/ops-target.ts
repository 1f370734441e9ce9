/**
 * Where an operator command acts: the running `npm start` (the default, found through its state
 * file) or a deployed stage (`--stage`, standard AWS credential chain, resources from the stacks'
 * CloudFormation outputs). The flags shared by the three commands are parsed here.
 */
import { HelpRequested, UsageError } from "../cli-errors";
import { parseFlags } from "../parse-flags";
import { parseStage } from "../stage-option";

export type OpsTarget = { kind: "local" } | { kind: "stage"; stage: string; region: string; profile?: string };

export const TARGET_USAGE = `target (default: the running \`npm start\`, found through .sst/local/runtime.json):
  --stage <name> [--region <region>] [--profile <profile>]   a deployed stage (AWS credentials as the AWS CLI finds them)`;

const TARGET_OPTIONS = {
  stage: { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type FlagOptions = Parameters<typeof parseFlags>[1];

/** Parses the shared flags plus the command's own; `--help` wins over everything else. */
export function readOpsFlags<T extends FlagOptions>(argv: string[], own: T, env: NodeJS.ProcessEnv) {
  const values = parseFlags(argv, { ...TARGET_OPTIONS, ...own }) as Record<string, string | boolean | undefined>;
  if (values.help) throw new HelpRequested();
  return { values, target: readTarget(values, env) };
}

function readTarget(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): OpsTarget {
  const { stage, region, profile } = values as { stage?: string; region?: string; profile?: string };
  if (stage === undefined) {
    const stageOnly = (["region", "profile"] as const).filter((n) => values[n] !== undefined).map((n) => `--${n}`);
    if (stageOnly.length) throw new UsageError(`${stageOnly.join(", ")} only apply with --stage`);
    return { kind: "local" };
  }
  return {
    kind: "stage",
    stage: parseStage(stage),
    region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(profile && { profile }),
  };
}
