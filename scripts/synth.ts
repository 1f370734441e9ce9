/** `npm run synth [-- --stage <name>]`: writes each stack's CloudFormation template to .sst/synth/<stage>/. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { synthesize } from "../stacks/synthesize";

const { values } = parseArgs({ options: { stage: { type: "string", default: "dev" } } });
const stage = values.stage!;
const { assembly } = await synthesize(stage);
const dir = path.resolve(".sst", "synth", stage);
mkdirSync(dir, { recursive: true });
for (const stack of assembly.stacks) {
  const file = path.join(dir, `${stack.stackName}.json`);
  writeFileSync(file, JSON.stringify(stack.template, null, 2) + "\n");
  console.log(`${stack.stackName}: ${Object.keys(stack.template.Resources ?? {}).length} resources → ${path.relative(process.cwd(), file)}`);
}
