/**
 * `npm run bench`: every figure of bench/RESULTS.md, each against a fresh local runtime, then the
 * Lambda bundles. Writes bench/results/latest.json and bench/RESULTS.md and prints the table.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./lib/machine";
import { markdownTable, resultsMarkdown } from "./lib/report";
import type { BenchResults } from "./lib/results";
import { startBenchRuntime, type BenchRuntime } from "./lib/runtime-handle";
import { measureBundles } from "./metrics/bundles";
import { measureDynamoDbRequests } from "./metrics/dynamodb-requests";
import { measureFanout } from "./metrics/fanout";
import { measureLatency } from "./metrics/latency";
import { measureThroughput } from "./metrics/throughput";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function withRuntime<T>(name: string, measure: (runtime: BenchRuntime) => Promise<T>): Promise<T> {
  progress(`${name}…`);
  const started = performance.now();
  const runtime = await startBenchRuntime();
  try {
    return await measure(runtime);
  } finally {
    await runtime.close();
    progress(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main() {
  const started = performance.now();
  const date = new Date().toISOString();
  const latency = await withRuntime("latency", (runtime) => measureLatency(runtime));
  const fanout = await withRuntime("fan-out to 1,000", (runtime) => measureFanout(runtime));
  const throughput = await withRuntime("throughput of 500 sagas", (runtime) => measureThroughput(runtime));
  const dynamodb = await withRuntime("DynamoDB requests per status", (runtime) => measureDynamoDbRequests(runtime));
  progress("bundles…");
  const bundles = await measureBundles(root, path.join(benchDir, "results", "bundles"));

  const results: BenchResults = {
    date,
    machine: describeMachine(),
    latency_ms: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
    latency_run: { events: latency.events, achieved_per_s: latency.achieved_per_s },
    fanout_1000_ms: fanout.ms,
    fanout_rounds: fanout.rounds,
    throughput_statuses_per_s: throughput.per_s,
    throughput_run: { statuses: throughput.statuses, seconds: throughput.seconds },
    dynamodb_requests_per_status: dynamodb,
    bundles,
    duration_s: Math.round((performance.now() - started) / 1000),
  };
  mkdirSync(path.join(benchDir, "results"), { recursive: true });
  writeFileSync(path.join(benchDir, "results", "latest.json"), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(path.join(benchDir, "RESULTS.md"), resultsMarkdown(results));
  process.stdout.write(`\n${markdownTable(results)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
