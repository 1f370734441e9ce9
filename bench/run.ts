/**
 * `npm run bench`: ours against the seed's callback algorithm (bench/baseline), each figure measured
 * against a fresh local runtime of each in turn, then the Lambda bundles; prints the figures and the
 * goals of issue #9 and writes bench/results/latest.json (git-ignored). `--write-results` also writes
 * bench/RESULTS.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeMachine } from "./lib/machine";
import { markdownTable, resultsMarkdown } from "./lib/report";
import type { BenchResults, CallbackFigures } from "./lib/results";
import { startBenchRuntime, type BenchRuntime, type Variant } from "./lib/runtime-handle";
import { computeTargets } from "./lib/targets";
import { measureBundles } from "./metrics/bundles";
import { measureDynamoDbRequests } from "./metrics/dynamodb-requests";
import { measureFanout } from "./metrics/fanout";
import { measureLatency } from "./metrics/latency";
import { measurePostCost, type PostCost } from "./metrics/post-cost";
import { measureThroughput } from "./metrics/throughput";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Rounds of the metrics that alternate ours and the seed's (see `alternating`). */
const PAIRED_ROUNDS = 3;

/** The run whose `key` is the median of the runs' (the middle one of an odd count). */
function medianBy<T>(runs: T[], key: (run: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)]!;
}

const METRICS = ["latency", "fanout", "throughput", "dynamodb", "post", "bundles"] as const;
type Metric = (typeof METRICS)[number];

const USAGE = `Usage: npm run bench -- [options]

Measures our callback path against the seed's algorithm (bench/baseline) in the same local runtime,
and the Lambda bundles; prints the figures and issue #9's goals (pass/fail) and writes
bench/results/latest.json.

Options:
  --only <list>      comma-separated subset of: ${METRICS.join(", ")} (default: all)
  --ours-only        skip the seed baseline
  --write-results    also write bench/RESULTS.md (only for a full run)
  --cpu-prof         run each runtime under node --cpu-prof (profiles in bench/results/profiles;
                     summarise with: npx tsx bench/profile-summary.ts <file>)
  --render           measure nothing: write bench/RESULTS.md again from bench/results/latest.json
  -h, --help         this text

Environment: BENCH_DEBUG=1 lets the runtime's handlers log warnings and errors (silent otherwise).

Exit status: 0 every goal of the run met, 3 some goal missed, 2 usage error, 1 the benchmark failed.
`;

class UsageError extends Error {}

/** The runtime being measured: stopped on SIGINT/SIGTERM so that no child outlives the benchmark. */
let active: BenchRuntime | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void (active?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      "ours-only": { type: "boolean", default: false },
      "write-results": { type: "boolean", default: false },
      "cpu-prof": { type: "boolean", default: false },
      render: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = values.only ? values.only.split(",").map((m) => m.trim()) : [...METRICS];
  const unknown = only.filter((m) => !(METRICS as readonly string[]).includes(m));
  if (unknown.length) throw new UsageError(`unknown metric ${unknown.join(", ")} (choose from ${METRICS.join(", ")})`);
  if (values["write-results"] && (values.only || values["ours-only"])) throw new UsageError("--write-results needs a full run (no --only, no --ours-only)");
  if (values.render && (values.only || values["ours-only"] || values["cpu-prof"])) throw new UsageError("--render measures nothing: it takes no other option");
  return {
    help: values.help,
    render: values.render,
    only: only as Metric[],
    variants: (values["ours-only"] ? ["ours"] : ["ours", "seed"]) as Variant[],
    writeResults: values["write-results"],
    cpuProfDir: values["cpu-prof"] ? path.join(benchDir, "results", "profiles") : undefined,
  };
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(USAGE);
  const latest = path.join(benchDir, "results", "latest.json");
  if (options.render) {
    if (!existsSync(latest)) throw new UsageError(`${path.relative(root, latest)} does not exist: run the benchmark first`);
    const previous = JSON.parse(readFileSync(latest, "utf8")) as BenchResults;
    if (previous.only?.length !== METRICS.length || !previous.seed) throw new UsageError(`${path.relative(root, latest)} holds a partial run (${previous.only?.join(", ")}): RESULTS.md needs a full one`);
    writeFileSync(path.join(benchDir, "RESULTS.md"), resultsMarkdown(previous));
    return void process.stdout.write(`wrote bench/RESULTS.md from the run of ${previous.date}\n`);
  }
  const started = performance.now();
  const date = new Date().toISOString();
  const machine = describeMachine(); // its load average is the one the run started under
  const figures: Record<Variant, CallbackFigures> = { ours: {}, seed: {} };

  async function withRuntime<T>(name: string, variant: Variant, measure: (runtime: BenchRuntime) => Promise<T>): Promise<T> {
    progress(`${name} (${variant})…`);
    const t0 = performance.now();
    const runtime = await startBenchRuntime(variant, { cpuProfDir: options.cpuProfDir });
    active = runtime;
    try {
      return await measure(runtime);
    } finally {
      active = undefined;
      await runtime.close();
      progress(`${name} (${variant}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }

  async function alternating<T>(name: string, measure: (runtime: BenchRuntime) => Promise<T>) {
    const runs = new Map<Variant, T[]>(options.variants.map((v) => [v, []]));
    for (let round = 1; round <= PAIRED_ROUNDS; round++) {
      for (const variant of options.variants) runs.get(variant)!.push(await withRuntime(`${name}, round ${round}/${PAIRED_ROUNDS}`, variant, measure));
    }
    return runs;
  }

  // Metric by metric, ours then the seed's, so that both meet the same machine load.
  // Latency and throughput sit near the seed's, so one pair of runs can flip a goal on a shared
  // machine: they alternate ours/seed for PAIRED_ROUNDS rounds, and each variant's median round counts.
  if (options.only.includes("latency")) {
    const rounds = await alternating("latency", (r) => measureLatency(r));
    for (const [variant, runs] of rounds) {
      const l = medianBy(runs, (run) => run.p99);
      figures[variant].latency_ms = { p50: l.p50, p95: l.p95, p99: l.p99 };
      figures[variant].latency_run = { events: l.events, offered_per_s: l.offered_per_s, achieved_per_s: l.achieved_per_s };
      figures[variant].latency_rounds_p99 = runs.map((run) => run.p99);
    }
  }
  for (const variant of options.variants) if (options.only.includes("fanout")) {
    const fan = await withRuntime("fan-out to 1,000", variant, (r) => measureFanout(r));
    figures[variant].fanout_1000_ms = fan.ms;
    figures[variant].fanout_rounds = fan.rounds;
  }
  if (options.only.includes("throughput")) {
    const rounds = await alternating("throughput of 500 sagas", (r) => measureThroughput(r));
    for (const [variant, runs] of rounds) {
      const t = medianBy(runs, (run) => run.per_s);
      figures[variant].throughput_statuses_per_s = t.per_s;
      figures[variant].throughput_run = { statuses: t.statuses, lost: t.lost, seconds: t.seconds };
      figures[variant].throughput_rounds = runs.map((run) => run.per_s);
    }
  }
  for (const variant of options.variants) if (options.only.includes("dynamodb")) {
    figures[variant].dynamodb_requests_per_status = await withRuntime("DynamoDB requests per status", variant, measureDynamoDbRequests);
  }
  let postCost: PostCost | undefined;
  if (options.only.includes("post")) {
    progress("CPU per @connections post (ours, the SDK command)…");
    postCost = await measurePostCost();
  }
  let bundles: BenchResults["bundles"];
  if (options.only.includes("bundles")) {
    progress("bundles…");
    // The bundles (tens of MB) are built in a temporary folder and removed: only their figures are kept.
    const bundlesDir = mkdtempSync(path.join(tmpdir(), "bench-bundles-"));
    try {
      bundles = await measureBundles(root, bundlesDir, { progress });
    } finally {
      rmSync(bundlesDir, { recursive: true, force: true });
    }
  }

  const partial = {
    date,
    machine,
    only: options.only,
    ...figures.ours,
    ...(options.variants.includes("seed") ? { seed: figures.seed } : {}),
    ...(postCost ? { post_cpu_us: postCost } : {}),
    ...(bundles ? { bundles } : {}),
  };
  const results: BenchResults = { ...partial, targets: computeTargets(partial), duration_s: Math.round((performance.now() - started) / 1000) };
  mkdirSync(path.join(benchDir, "results"), { recursive: true });
  writeFileSync(latest, JSON.stringify(results, null, 2) + "\n");
  if (options.writeResults) writeFileSync(path.join(benchDir, "RESULTS.md"), resultsMarkdown(results));
  process.stdout.write(`\n${markdownTable(results)}\n`);
  // Like a test run: the exit code says whether every goal of this run was met.
  process.exitCode = results.targets.every((t) => t.pass) ? 0 : 3;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
