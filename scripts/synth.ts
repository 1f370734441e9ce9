/**
 * `npm run synth [-- --stage <name>] [--out <dir>]`: writes each stack's CloudFormation template to
 * <dir>/<stage>/ (default .sst/synth/<stage>/), offline, and cdk-nag's findings to
 * <dir>/<stage>/nag/: `findings.json` (what is neither fixed nor suppressed) and the packs' reports.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as StageName from "@awsomepets/core/platform/stage-name";

const USAGE = `Usage: npm run synth -- [--stage <name>] [--out <dir>]
  Writes each stack's CloudFormation template to <dir>/<stage>/, offline.
  --stage <name>  stage to synthesize (default dev): a letter, then letters, digits, hyphens
  --out <dir>     output folder (default .sst/synth)
  -h, --help      this help`;
const values = (() => {
  try {
    return parseArgs({
      options: {
        stage: { type: "string", default: "dev" },
        out: { type: "string", default: path.join(".sst", "synth") },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    console.error(`synth: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const stage = values.stage!;
const stageProblem = StageName.stageNameProblem(stage);
if (stageProblem) {
  console.error(`synth: ${stageProblem}`);
  process.exit(2);
}
// Loaded after the options are read: CDK takes seconds to import, `--help` should not wait for it.
const { synthesize } = await import("../stacks/synthesize");
const { VisibleError } = await import("sst/error.js");
const { assembly, outdir } = await synthesize(stage).catch((error: unknown) => {
  // A setting the stacks refuse (stacks/deploy-settings.ts): its message, as `sst deploy` prints it.
  if (!(error instanceof VisibleError)) throw error;
  console.error(`synth: ${error.message}`);
  process.exit(1);
});
const dir = path.resolve(values.out!, stage);
mkdirSync(path.join(dir, "nag"), { recursive: true });
for (const stack of assembly.stacks) {
  const file = path.join(dir, `${stack.stackName}.json`);
  writeFileSync(file, `${JSON.stringify(stack.template, null, 2)}\n`);
  console.log(
    `${stack.stackName}: ${Object.keys(stack.template.Resources ?? {}).length} resources → ${path.relative(process.cwd(), file)}`,
  );
}

// cdk-nag reports each unsuppressed finding as an error or warning annotation on its construct.
const findings = assembly.stacks.flatMap((stack) =>
  stack.messages
    .filter((m) => m.level !== "info" && /^(AwsSolutions|Serverless)-/.test(String(m.entry.data)))
    .map((m) => ({ stack: stack.stackName, level: m.level, path: m.id, finding: String(m.entry.data).split("\n")[0] })),
);
writeFileSync(path.join(dir, "nag", "findings.json"), `${JSON.stringify(findings, null, 2)}\n`);
for (const report of readdirSync(outdir).filter((f) => f.endsWith("NagReport.json"))) {
  copyFileSync(path.join(outdir, report), path.join(dir, "nag", report));
}
for (const f of findings) console.log(`cdk-nag ${f.level}: ${f.path} ${f.finding}`);
console.log(`cdk-nag: ${findings.length} unsuppressed finding(s)`);
