/**
 * bundles: each Lambda of Topology.FUNCTIONS bundled as `sst deploy` bundles it, with the options of
 * SST v2's node handler (node_modules/sst/runtime/handlers/node.js) for `nodejs: { format: "esm" }`
 * (sst.config.ts): bundle, platform node, ESM, target esnext, keepNames, its require/__dirname banner,
 * no minify (SST's default), nothing external but sharp/pg-native — so the AWS SDK v3 is bundled.
 * `bytes` is that output; `init_ms` the median cost of importing it in a fresh Node process beyond
 * starting an empty one. `bytes_min_sdk_external` is the same bundle minified with `@aws-sdk/*`
 * left to the Lambda runtime, for comparison.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { Topology } from "@awsomepets/core/index";
import { BENCH_TOKEN_SECRET } from "../lib/bench-secret";
import { median, round } from "../lib/stats";

const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "",
].join("\n");

function sstEsmOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    platform: "node",
    external: ["sharp", "pg-native"],
    keepNames: true,
    bundle: true,
    logLevel: "silent",
    metafile: true,
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    banner: { js: SST_ESM_BANNER },
    outfile,
    sourcemap: true,
  };
}

/** What Lambda's environment gives the handler at import: SST's app/stage and the secret (so no SSM call). */
const IMPORT_ENV = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  SST_REGION: "us-east-1",
  SST_APP: Topology.APP_NAME,
  SST_STAGE: "bench",
  SST_Secret_value_CallbackTokenSecret: BENCH_TOKEN_SECRET,
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
};

function wallMs(args: string[]) {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { env: IMPORT_ENV, encoding: "utf8", timeout: 30_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(" ").slice(0, 120)} failed: ${run.stderr.slice(0, 500)}`);
  return ms;
}

/** Median import cost over `runs` fresh processes, minus the median of as many empty ones (interleaved). */
function initMs(file: string, runs: number) {
  const importArgs = ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(file).href)});`];
  const emptyArgs = ["--input-type=module", "-e", ""];
  const withImport: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < runs; i++) {
    empty.push(wallMs(emptyArgs));
    withImport.push(wallMs(importArgs));
  }
  return round(median(withImport) - median(empty));
}

async function bundleBytes(options: BuildOptions) {
  const result = await build(options);
  const outputs = result.metafile!.outputs;
  const key = Object.keys(outputs).find((name) => !name.endsWith(".map"))!;
  return outputs[key]!.bytes;
}

export async function measureBundles(root: string, outDir: string, runs = 7) {
  rmSync(outDir, { recursive: true, force: true });
  const figures: Record<string, { bytes: number; init_ms: number; bytes_min_sdk_external: number }> = {};
  for (const [name, spec] of Object.entries(Topology.FUNCTIONS)) {
    const entry = path.join(root, `${spec.slice(0, spec.lastIndexOf("."))}.ts`);
    const deployed = path.join(outDir, "sst", name, "index.mjs");
    const lean = path.join(outDir, "min-sdk-external", name, "index.mjs");
    mkdirSync(path.dirname(deployed), { recursive: true });
    const bytes = await bundleBytes(sstEsmOptions(entry, deployed));
    const leanBytes = await bundleBytes({ ...sstEsmOptions(entry, lean), minify: true, sourcemap: false, external: ["sharp", "pg-native", "@aws-sdk/*"] });
    figures[name] = { bytes, init_ms: initMs(deployed, runs), bytes_min_sdk_external: leanBytes };
  }
  return figures;
}
