/**
 * `npx tsx bench/sdk-clients-why.ts [FunctionName…]`: for each Lambda (all of Topology.FUNCTIONS by
 * default), the `@aws-sdk/client-*` packages its deploy bundle carries (SST's esbuild options, as
 * bench/metrics/bundles.ts builds them) and, from esbuild's metafile, the import chain from the
 * handler that brings each one in — the shortest one. Writes nothing but a temporary folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import * as Topology from "@awsomepets/core/platform/topology";
import { resolveHandler } from "../packages/local/src/runtime/lambda";
import { sdkClientPackages, sstDeployOptions } from "./metrics/bundles";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? input;

/** The shortest chain of imports from `entry` to any file of `pkg`, as files (packages named, ours as paths). */
function chainTo(metafile: Metafile, entry: string, pkg: string): string[] {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    if (packageOf(file) === pkg) {
      const chain: string[] = [];
      for (let at: string | null = file; at; at = previous.get(at) ?? null) chain.unshift(at);
      // One name per package in a row: the chain through our files and into each package.
      return chain.map(packageOf).filter((name, i, all) => name !== all[i - 1]);
    }
    for (const { path: next } of metafile.inputs[file]?.imports ?? []) {
      if (!metafile.inputs[next] || previous.has(next)) continue;
      previous.set(next, file);
      queue.push(next);
    }
  }
  return [];
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !Object.hasOwn(Topology.FUNCTIONS, name));
  if (unknown.length) {
    process.stderr.write(
      `sdk-clients-why: unknown function ${unknown.join(", ")} (one of ${Object.keys(Topology.FUNCTIONS).join(", ")})\n`,
    );
    process.exit(2);
  }
  const out = mkdtempSync(path.join(tmpdir(), "sdk-clients-why-"));
  try {
    for (const name of (wanted.length ? wanted : Object.keys(Topology.FUNCTIONS)) as Topology.FunctionName[]) {
      const { file } = resolveHandler(root, Topology.FUNCTIONS[name]);
      const result = await build(sstDeployOptions(file, path.join(out, `${name}.mjs`)));
      const metafile = result.metafile!;
      const output = Object.values(metafile.outputs).find((o) => o.entryPoint)!;
      const entry = output.entryPoint!;
      const clients = sdkClientPackages(output.inputs);
      process.stdout.write(
        `${name}: ${clients.length ? clients.map((c) => c.replace("@aws-sdk/client-", "")).join(", ") : "no SDK client"}\n`,
      );
      for (const client of clients)
        process.stdout.write(`  ${client}: ${chainTo(metafile, entry, client).join(" → ")}\n`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sdk-clients-why failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
