/** The Markdown the benchmark prints and writes to bench/RESULTS.md. */
import type { BenchResults } from "./results";

/** Why each figure is what it is on this setup (see bench/RESULTS.md). */
const LIMITS = {
  latency:
    "One Node process runs dynalite, the gateway and every handler: each status is 6 DynamoDB requests (5 of them sequential in the callback) to dynalite (single-threaded LevelDB, JSON over HTTP), ~65 statuses/s at most here. At 100/s a queue builds (p50 4.6 s, p99 7.1 s), hence 50/s. The 2 cores are shared with the 400 clients.",
  fanout:
    "Posts are capped at 32 in flight per invocation (FANOUT_CONCURRENCY), each one HTTP round trip to the local @connections API in the same event loop that writes the 1,000 frames; the SDK client's 50-socket pool.",
  throughput:
    "The saga (Step Functions endpoint + 6 task invocations per order), OrdersTbl writes and two rules per event all share one event loop and one dynalite; the 500 clients connect while the POSTs run (50 at a time).",
  dynamodb:
    "Per status: callback = read seq + claim seq + write history + query connections + clear pending; projection = its OrdersTbl update. Connections are read with one Query, so the figure does not depend on their number.",
  bundles:
    "SST v2 for ESM bundles everything, the AWS SDK v3 included (no `@aws-sdk/*` external), unminified; init is dominated by parsing that code. `sst/node/config` (Connect, GetOrder, and CreateOrder through lib/order-deps) bundles the SSM client and adds a top-level await. Even minified with the SDK external, ~450 KB of the ~500 KB is zod 4 (the whole \`z\` namespace is kept).",
};

export function markdownTable(results: BenchResults) {
  const rows: string[][] = [
    ["latency_ms p50 / p95 / p99", `${results.latency_ms.p50} / ${results.latency_ms.p95} / ${results.latency_ms.p99}`, `${results.latency_run.events} events at ${results.latency_run.achieved_per_s}/s, one client per order`, LIMITS.latency],
    ["fanout_1000_ms", String(results.fanout_1000_ms), `last of 1,000 frames; rounds ${results.fanout_rounds.map((r) => r.last_ms).join(", ")} ms`, LIMITS.fanout],
    ["throughput_statuses_per_s", String(results.throughput_statuses_per_s), `${results.throughput_run.statuses} statuses of 500 sagas in ${results.throughput_run.seconds} s`, LIMITS.throughput],
    ["dynamodb_requests_per_status", `1 conn: ${results.dynamodb_requests_per_status["1"]}, 100 conns: ${results.dynamodb_requests_per_status["100"]}`, "10 orders × 5 statuses, both rules", LIMITS.dynamodb],
  ];
  const header = "| metric | value | how | what limits it |\n|---|---|---|---|";
  const main = [header, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  const bundleRows = Object.entries(results.bundles).map(
    ([name, b]) => `| ${name} | ${(b.bytes / 1024).toFixed(0)} KB | ${b.init_ms} | ${(b.bytes_min_sdk_external / 1024).toFixed(0)} KB |`,
  );
  const bundles = ["| function | bytes (as `sst deploy`) | init_ms | minified, @aws-sdk external |", "|---|---|---|---|", ...bundleRows].join("\n");
  return `${main}\n\n${bundles}\n\nBundles — what limits them: ${LIMITS.bundles}`;
}

export function resultsMarkdown(results: BenchResults) {
  const m = results.machine;
  return `# Benchmark results

Measured by \`npm run bench\` (bench/run.ts) against the local runtime (\`npm start\`'s, in a child
process; the clients in the parent). Not AWS: these figures compare changes to this code on one
machine, they do not predict Lambda, API Gateway or DynamoDB latencies.

- Date: ${results.date}
- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.platform}
- Node: ${m.node}
- Whole run: ${results.duration_s} s

${markdownTable(results)}
`;
}
