/**
 * bundles: each Lambda of Topology.FUNCTIONS bundled as `sst deploy` bundles it (SST v2's node handler's
 * esbuild options, deploy mode, for the `nodejs` props of ../../sst.functions.ts); `bytes` is the .mjs.
 * Import costs are medians of the `import()` timed inside fresh Node processes, the variants of one
 * function interleaved: the bundle (`init_ms`, `init_cpu_ms`), its AWS SDK clients alone
 * (`sdk_floor_*`), and without `sst/node/config` (`without_sst_config`). Method: docs/bench-methods.md, "bundles".
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import * as Topology from "@awsomepets/core/platform/topology";
import { FUNCTION_NODEJS_PROPS } from "../../sst.functions";
import { BENCH_TOKEN_SECRET } from "../lib/bench-secret";
import { median, round } from "../lib/stats";

type NodejsProps = {
  format?: "esm" | "cjs";
  minify?: boolean;
  sourcemap?: boolean;
  banner?: string;
  install?: string[];
  splitting?: boolean;
};

/** SST v2's esbuild options for `sst deploy` (ESM branch), as node.js builds them from the `nodejs` props. */
export function sstDeployOptions(
  entry: string,
  outfile: string,
  nodejs: NodejsProps = FUNCTION_NODEJS_PROPS,
): BuildOptions {
  if ((nodejs.format ?? "esm") !== "esm" || nodejs.splitting)
    throw new Error("bundles.ts mirrors SST's single-file ESM build only");
  return {
    entryPoints: [entry],
    platform: "node",
    external: ["sharp", "pg-native", ...(nodejs.install ?? [])],
    keepNames: true,
    bundle: true,
    logLevel: "silent",
    metafile: true,
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        nodejs.banner ?? "",
      ].join("\n"),
    },
    outfile,
    sourcemap: nodejs.sourcemap !== false,
    minify: nodejs.minify,
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

/**
 * The `import()` of `file` in a fresh Node process, timed inside it (process start-up excluded): wall
 * milliseconds, and CPU milliseconds of the process meanwhile (user + system). Import is CPU-bound, so
 * on an idle machine the two agree; on a shared one the wall time also measures the neighbours.
 */
function importMs(file: string) {
  const code = `const c = process.cpuUsage(), t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    env: IMPORT_ENV,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout) as { wall: number; cpu: number };
}

/** Median import times of each file, all measured interleaved (A, B, C, then B, C, A, …). */
export function interleavedInitMs(
  files: Record<string, string>,
  runs: number,
): Record<string, { wall: number; cpu: number }> {
  const variants = Object.entries(files);
  const samples = new Map(variants.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < variants.length; j++) {
      const [name, file] = variants[(i + j) % variants.length]!;
      const { wall, cpu } = importMs(file);
      samples.get(name)!.wall.push(wall);
      samples.get(name)!.cpu.push(cpu);
    }
  }
  return Object.fromEntries(
    variants.map(([name]) => [
      name,
      { wall: round(median(samples.get(name)!.wall)), cpu: round(median(samples.get(name)!.cpu)) },
    ]),
  );
}

async function bundle(options: BuildOptions) {
  const result = await build(options);
  const outputs = result.metafile!.outputs;
  const key = Object.keys(outputs).find((name) => !name.endsWith(".map"))!;
  return { bytes: outputs[key]!.bytes, inputs: outputs[key]!.inputs };
}

type OutputInputs = Metafile["outputs"][string]["inputs"];

/** The package an input file belongs to (`zod`, `@aws-sdk/client-dynamodb`), or `(ours)`. */
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? "(ours)";

/** The `@aws-sdk/client-*` packages whose code is in the bundle (bytes in the output, not merely parsed). */
export function sdkClientPackages(inputs: OutputInputs) {
  const names = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const name = packageOf(input);
    if (bytesInOutput > 0 && name.startsWith("@aws-sdk/client-")) names.add(name);
  }
  return [...names].sort();
}

/** Bytes in the output per package family (`@aws-sdk`, `@smithy`, `zod`, …), largest first. */
export function bytesByPackage(inputs: OutputInputs, top = 5) {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const name = packageOf(input).split("/")[0]!;
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).slice(0, top));
}

/** An entry that keeps only each package's client class (e.g. DynamoDBClient), none of its commands. */
async function sdkFloorSource(packages: readonly string[]) {
  const lines: string[] = [];
  for (const [i, name] of packages.entries()) {
    const module = (await import(name)) as Record<string, unknown>;
    const client = Object.keys(module).find(
      (key) => key !== "__Client" && key.endsWith("Client") && typeof module[key] === "function",
    );
    if (!client) throw new Error(`${name} exports no client class`);
    lines.push(`import { ${client} as C${i} } from ${JSON.stringify(name)};`);
  }
  return `${lines.join("\n")}\nexport const clients = [${packages.map((_, i) => `C${i}`).join(", ")}];\n`;
}

const SST_CONFIG = "sst/node/config";
/** `sst/node/config` replaced by what it reduces to when the secret is in the environment. */
const withoutSstConfig: Plugin = {
  name: "without-sst-config",
  setup(b) {
    b.onResolve({ filter: /^sst\/node\/config$/ }, () => ({ path: SST_CONFIG, namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: `export const Config = new Proxy({}, { get: (_, key) => typeof key === "string" ? process.env["SST_Secret_value_" + key] ?? process.env["SST_Parameter_value_" + key] : undefined });`,
      loader: "js",
    }));
  },
};
const bundlesSstConfig = (inputs: OutputInputs) =>
  Object.keys(inputs).some((input) => input.includes("node_modules/sst/node/config/"));

export type BundleFigures = {
  bytes: number;
  /** Median wall time of the import. */
  init_ms: number;
  /** Median CPU time of the import: what the goal compares (see importMs). */
  init_cpu_ms: number;
  aws_sdk_clients: string[];
  /** Bytes of the output by package family, the largest five. */
  largest_parts: Record<string, number>;
  sdk_floor_bytes: number;
  sdk_floor_init_ms: number;
  sdk_floor_init_cpu_ms: number;
  /** init_cpu_ms / sdk_floor_init_cpu_ms (null without SDK clients). */
  ratio: number | null;
  /** init_ms / sdk_floor_init_ms. */
  ratio_wall: number | null;
  without_sst_config?: { bytes: number; init_ms: number; init_cpu_ms: number; aws_sdk_clients: string[] };
};

export async function measureBundles(
  root: string,
  outDir: string,
  options: { runs?: number; progress?: (line: string) => void } = {},
) {
  const runs = options.runs ?? 11;
  rmSync(outDir, { recursive: true, force: true });
  const figures: Record<string, BundleFigures> = {};
  for (const [name, spec] of Object.entries(Topology.FUNCTIONS)) {
    const entry = path.join(root, `${spec.slice(0, spec.lastIndexOf("."))}.ts`);
    const deployed = path.join(outDir, name, "index.mjs");
    mkdirSync(path.dirname(deployed), { recursive: true });
    const own = await bundle(sstDeployOptions(entry, deployed));
    const clients = sdkClientPackages(own.inputs);
    const files: Record<string, string> = { function: deployed };

    let floorBytes = 0;
    if (clients.length > 0) {
      const floorEntry = path.join(outDir, name, "sdk-floor.entry.mjs");
      writeFileSync(floorEntry, await sdkFloorSource(clients));
      files.floor = path.join(outDir, name, "sdk-floor.mjs");
      floorBytes = (
        await bundle({ ...sstDeployOptions(floorEntry, files.floor), nodePaths: [path.join(root, "node_modules")] })
      ).bytes;
    }
    let withoutConfig: Awaited<ReturnType<typeof bundle>> | undefined;
    if (bundlesSstConfig(own.inputs)) {
      files.withoutConfig = path.join(outDir, name, "without-sst-config.mjs");
      withoutConfig = await bundle({ ...sstDeployOptions(entry, files.withoutConfig), plugins: [withoutSstConfig] });
    }
    const { function: fn, floor, withoutConfig: withoutConfigInit } = interleavedInitMs(files, runs);
    figures[name] = {
      bytes: own.bytes,
      init_ms: fn!.wall,
      init_cpu_ms: fn!.cpu,
      aws_sdk_clients: clients,
      largest_parts: bytesByPackage(own.inputs),
      sdk_floor_bytes: floorBytes,
      sdk_floor_init_ms: floor?.wall ?? 0,
      sdk_floor_init_cpu_ms: floor?.cpu ?? 0,
      ratio: floor ? round(fn!.cpu / floor.cpu, 2) : null,
      ratio_wall: floor ? round(fn!.wall / floor.wall, 2) : null,
      ...(withoutConfig && withoutConfigInit
        ? {
            without_sst_config: {
              bytes: withoutConfig.bytes,
              init_ms: withoutConfigInit.wall,
              init_cpu_ms: withoutConfigInit.cpu,
              aws_sdk_clients: sdkClientPackages(withoutConfig.inputs),
            },
          }
        : {}),
    };
    options.progress?.(
      `${name}: ${(own.bytes / 1024).toFixed(0)} KB, import ${fn!.wall} ms wall / ${fn!.cpu} ms CPU (SDK floor ${floor ? `${floor.wall} / ${floor.cpu}` : "–"})`,
    );
  }
  return figures;
}
