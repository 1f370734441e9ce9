/**
 * `npm run synth [-- --stage <name>] [--out <dir>]`: writes each stack's CloudFormation template to
 * <dir>/<stage>/ (default .sst/synth/<stage>/), offline.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { synthesize } from "../stacks/synthesize";

const { values } = parseArgs({
  options: { stage: { type: "string", default: "dev" }, out: { type: "string", default: path.join(".sst", "synth") } },
});
const stage = values.stage!;
const { assembly } = await synthesize(stage);
const dir = path.resolve(values.out!, stage);
mkdirSync(dir, { recursive: true });
for (const stack of assembly.stacks) {
  const file = path.join(dir, `${stack.stackName}.json`);
  writeFileSync(file, JSON.stringify(stack.template, null, 2) + "\n");
  console.log(`${stack.stackName}: ${Object.keys(stack.template.Resources ?? {}).length} resources → ${path.relative(process.cwd(), file)}`);
}
