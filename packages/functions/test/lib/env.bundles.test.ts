/**
 * What each Lambda bundles of our own code, built as the bench builds it (SST v2's deploy options):
 * the deploy-time sizing (every tunable's table, the throttle and edge arithmetic) stays out of every
 * function, which reads only its six tunables through platform/runtime-tunables.ts. Sizes are the
 * bench's (`npm run bench -- --only bundles`); this guards the import that would bring them back.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { sstDeployOptions } from "../../../../bench/metrics/bundles";

const ROOT = path.resolve(import.meta.dirname, "../../../..");
const DEPLOY_TIME_ONLY = [
  "packages/core/src/platform/tunables.ts",
  "packages/core/src/platform/topology/edge.ts",
  "packages/core/src/platform/topology/throttles.ts",
];
const outDir = mkdtempSync(path.join(tmpdir(), "bundles-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function ownInputs(name: Topology.FunctionName) {
  const spec = Topology.FUNCTIONS[name];
  const entry = path.join(ROOT, `${spec.slice(0, spec.lastIndexOf("."))}.ts`);
  const options = sstDeployOptions(entry, path.join(outDir, `${name}.mjs`));
  const result = await build({ ...options, absWorkingDir: ROOT, write: false, sourcemap: false });
  const [output] = Object.values(result.metafile!.outputs);
  return Object.entries(output!.inputs)
    .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && !input.includes("node_modules"))
    .map(([input]) => input);
}

describe("Lambda bundles", () => {
  it.each(Object.keys(Topology.FUNCTIONS) as Topology.FunctionName[])(
    "%s holds none of the deploy-time sizing",
    async (name) => {
      // Act
      const inputs = await ownInputs(name);

      // Assert
      expect(inputs.some((input) => input.startsWith("packages/functions/src/"))).toBe(true);
      expect(inputs.filter((input) => DEPLOY_TIME_ONLY.includes(input))).toEqual([]);
    },
    30_000,
  );
});
