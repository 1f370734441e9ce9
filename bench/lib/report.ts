/**
 * The Markdown the benchmark prints and writes to bench/RESULTS.md. Every sentence under "what
 * limits it" is computed from the figures of the run it describes, so that none can go stale.
 */
import * as Delivery from "@awsomepets/core/delivery/fan-out";
import { MAX_SOCKETS } from "../metrics/fanout";
import type { BenchResults, CallbackFigures } from "./results";
import { round } from "./stats";

const fmt = (n: number | undefined, unit = "") => (n === undefined ? "–" : `${n}${unit}`);
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
/** "3 alternating rounds (ours 1 / 2 / 3, seed 1 / 2 / 3 p99)", from the rounds the run kept. */
const roundsOf = (ours: number[] | undefined, seed: number[] | undefined, unit: string) =>
  ours
    ? `${ours.length} alternating rounds (ours ${ours.join(" / ")}${seed ? `, seed ${seed.join(" / ")}` : ""} ${unit})`
    : "1 round";

function latencyLimits(ours: CallbackFigures, seed: CallbackFigures | undefined) {
  const lines: string[] = [];
  for (const [who, f] of [
    ["Ours", ours],
    ["The seed's", seed],
  ] as const) {
    if (!f?.latency_run || !f.latency_ms) continue;
    const { offered_per_s: offered, achieved_per_s: achieved } = f.latency_run;
    const spread = round(f.latency_ms.p99 / f.latency_ms.p50, 1);
    const verdict =
      achieved < offered * 0.95
        ? "it fell behind, so the percentiles include a queue"
        : spread > 5
          ? `it kept pace on average, but p99 is ${spread}× p50: stalls`
          : "it kept pace, so p99 is service time plus bursts";
    lines.push(`${who}: ${achieved}/s achieved of ${offered}/s offered, p50 ${f.latency_ms.p50} ms — ${verdict}.`);
  }
  return lines.join(" ");
}

function fanoutLimits(ours: CallbackFigures, seed: CallbackFigures | undefined) {
  const per = (f: CallbackFigures) => round((f.fanout_1000_ms ?? 0) / 1000, 2);
  const first = (f: CallbackFigures) => Math.min(...(f.fanout_rounds ?? []).map((r) => r.first_ms));
  const parts = [
    `Ours: ${per(ours)} ms per connection (up to ${Delivery.DEFAULT_CONCURRENCY} posts in flight over one keep-alive pool, each signed without the SDK command's middleware), first frame after ${first(ours)} ms (the appends that return the orders' connections).`,
  ];
  if (seed?.fanout_1000_ms)
    parts.push(
      `The seed's posts run one after another, each with a new management client (a new TCP connection): ${per(seed)} ms per connection, first frame after ${first(seed)} ms.`,
    );
  return parts.join(" ");
}

function throughputLimits(ours: CallbackFigures, seed: CallbackFigures | undefined) {
  const parts: string[] = [];
  const req = (f: CallbackFigures | undefined) => f?.dynamodb_requests_per_status?.["1"];
  if (ours.throughput_run)
    parts.push(
      `Ours delivered ${ours.throughput_run.statuses} statuses in ${ours.throughput_run.seconds} s, lost ${ours.throughput_run.lost}${req(ours) !== undefined ? `, at ${req(ours)} DynamoDB requests per status (one client)` : ""}.`,
    );
  if (seed?.throughput_run)
    parts.push(
      `The seed delivered ${seed.throughput_run.statuses} in ${seed.throughput_run.seconds} s and lost ${seed.throughput_run.lost}${req(seed) !== undefined ? `, at ${req(seed)} requests per status` : ""}.`,
    );
  parts.push("The saga, both rules, dynalite and every handler share one event loop in the runtime process.");
  return parts.join(" ");
}

function dynamodbLimits(ours: CallbackFigures, seed: CallbackFigures | undefined) {
  const d = ours.dynamodb_requests_per_status;
  if (!d) return "";
  const flat =
    d["1"] === d.max
      ? `flat from 1 to ${MAX_SOCKETS} connections`
      : `${round(d.max - d["1"], 2)} more with ${MAX_SOCKETS} connections than with 1`;
  const s = seed?.dynamodb_requests_per_status;
  return `Both rules count (callback and projection). Ours: ${flat}; ${d["0"]} with no connection (the record leaves the status pending: no mark to write).${s ? ` The seed's: ${s["0"]} / ${s["1"]} / ${s.max} with 0 / 1 / ${MAX_SOCKETS} connections.` : ""}`;
}

function bundleLimits(results: BenchResults) {
  const entries = Object.entries(results.bundles ?? {});
  if (entries.length === 0) return "";
  const [largestName, largest] = entries.reduce((a, b) => (b[1].bytes > a[1].bytes ? b : a));
  const withRatio = entries.filter(([, b]) => b.ratio !== null);
  const parts = Object.entries(largest.largest_parts)
    .map(([p, bytes]) => `${p} ${kb(bytes)}`)
    .join(", ");
  const lines = [`Largest bundle: ${largestName}, ${kb(largest.bytes)} (${parts}).`];
  if (withRatio.length) {
    const [worstName, worst] = withRatio.reduce((a, b) => (b[1].ratio! > a[1].ratio! ? b : a));
    const beyondSdk = Object.entries(worst.largest_parts)
      .filter(([p]) => p !== "@aws-sdk" && p !== "@smithy")
      .map(([p, bytes]) => `${p} ${kb(bytes)}`)
      .join(", ");
    lines.push(
      `Highest import over its SDK floor: ${worstName}, ${worst.init_cpu_ms} vs ${worst.sdk_floor_init_cpu_ms} CPU ms (${worst.ratio}×); its largest parts outside the AWS SDK: ${beyondSdk}.`,
    );
  }
  const sdkOnly = entries.filter(([, b]) => b.aws_sdk_clients.length === 0 && b.bytes > 100 * 1024);
  for (const [name, b] of sdkOnly) {
    lines.push(
      `${name} bundles no AWS SDK: its ${kb(b.bytes)} (${Object.entries(b.largest_parts)
        .map(([p, bytes]) => `${p} ${kb(bytes)}`)
        .join(", ")}) import in ${b.init_cpu_ms} CPU ms.`,
    );
  }
  const withConfig = entries.filter(([, b]) => b.without_sst_config);
  if (withConfig.length) {
    const brought = new Set(
      withConfig.flatMap(([, b]) =>
        b.aws_sdk_clients.filter(
          (c) => b.without_sst_config?.aws_sdk_clients && !b.without_sst_config.aws_sdk_clients.includes(c),
        ),
      ),
    );
    const clients = brought.size
      ? ` the clients ${[...brought].map((c) => c.replace("@aws-sdk/client-", "")).join(", ")} (counted in those functions' SDK floor)`
      : " an SSM client";
    lines.push(
      `\`sst/node/config\` brings${clients} and a top-level await; replaced by a read of the \`SST_Secret_value_*\` variable (a lower bound: deployed, the secret must still come from SSM):`,
    );
  }
  for (const [name, b] of withConfig) {
    if (!b.without_sst_config) continue;
    lines.push(
      `${name} ${kb(b.bytes)} → ${kb(b.without_sst_config.bytes)}, ${b.init_cpu_ms} → ${b.without_sst_config.init_cpu_ms} CPU ms.`,
    );
  }
  return lines.join(" ");
}

export function markdownTable(results: BenchResults) {
  const seed = results.seed;
  const sections: string[] = [];
  const rows: string[][] = [];
  if (results.latency_ms) {
    const s = seed?.latency_ms;
    rows.push([
      "latency_ms p50 / p95 / p99",
      `${results.latency_ms.p50} / ${results.latency_ms.p95} / ${results.latency_ms.p99}`,
      s ? `${s.p50} / ${s.p95} / ${s.p99}` : "–",
      `${results.latency_run!.events} events at ${results.latency_run!.offered_per_s}/s, one client per order; median of ${roundsOf(results.latency_rounds_p99, seed?.latency_rounds_p99, "p99")}`,
      latencyLimits(results, seed),
    ]);
  }
  if (results.fanout_1000_ms !== undefined) {
    rows.push([
      "fanout_1000_ms",
      fmt(results.fanout_1000_ms),
      fmt(seed?.fanout_1000_ms),
      `last of 1,000 frames: one status to each of ${Math.ceil(1000 / MAX_SOCKETS)} orders of up to ${MAX_SOCKETS} sockets, median of 3`,
      fanoutLimits(results, seed),
    ]);
  }
  if (results.throughput_statuses_per_s !== undefined) {
    rows.push([
      "throughput_statuses_per_s",
      fmt(results.throughput_statuses_per_s),
      fmt(seed?.throughput_statuses_per_s),
      `500 sagas via POST /orders, 1 client per order; median of ${roundsOf(results.throughput_rounds, seed?.throughput_rounds, "statuses/s")}`,
      throughputLimits(results, seed),
    ]);
  }
  if (results.dynamodb_requests_per_status) {
    const d = (f?: CallbackFigures) =>
      f?.dynamodb_requests_per_status
        ? `${f.dynamodb_requests_per_status["0"]} / ${f.dynamodb_requests_per_status["1"]} / ${f.dynamodb_requests_per_status.max}`
        : "–";
    rows.push([
      `dynamodb_requests_per_status (0 / 1 / ${MAX_SOCKETS} conns)`,
      d(results),
      d(seed),
      "10 orders × 5 statuses, both rules",
      dynamodbLimits(results, seed),
    ]);
  }
  if (rows.length)
    sections.push(
      [
        "| metric | ours | seed | how | what limits it (from this run) |",
        "|---|---|---|---|---|",
        ...rows.map((r) => `| ${r.join(" | ")} |`),
      ].join("\n"),
    );

  if (results.post_cpu_us) {
    const p = results.post_cpu_us;
    sections.push(
      `CPU per \`@connections\` post (${p.posts_per_round} posts, ${Delivery.DEFAULT_CONCURRENCY} in flight, to a trivial server in the same process; median of ${p.rounds} alternating rounds): ` +
        `ours ${p.ours_us} µs, the SDK's \`PostToConnectionCommand\` ${p.sdk_command_us} µs (${round(p.sdk_command_us / p.ours_us, 1)}×). ` +
        "Ours signs and sends with the client's own signer and HTTP handler, without the command's middleware (core delivery/signed-post.ts).",
    );
  }
  if (results.bundles) {
    const bundleRows = Object.entries(results.bundles).map(
      ([name, b]) =>
        `| ${name} | ${kb(b.bytes)} | ${b.init_ms} / ${b.init_cpu_ms} | ${b.aws_sdk_clients.map((c) => c.replace("@aws-sdk/client-", "")).join(", ") || "–"} | ${b.ratio === null ? "–" : `${b.sdk_floor_init_ms} / ${b.sdk_floor_init_cpu_ms}`} | ${b.ratio ?? "–"} | ${Object.entries(
          b.largest_parts,
        )
          .slice(0, 3)
          .map(([p, bytes]) => `${p} ${kb(bytes)}`)
          .join(", ")} |`,
    );
    sections.push(
      `${[
        "| function | bytes | init ms (wall / CPU) | SDK clients | SDK floor init ms (wall / CPU) | ratio (CPU) | largest parts |",
        "|---|---|---|---|---|---|---|",
        ...bundleRows,
      ].join("\n")}\n\nBundles — what limits them (from this run): ${bundleLimits(results)}`,
    );
  }
  if (results.memory) {
    const m = results.memory;
    const signed = (mb: number) => `${mb >= 0 ? "+" : ""}${mb}`;
    sections.push(
      `\`npm start\`'s memory (every function in its execution environments; ${m.orders} orders at ${m.orders_per_s}/s over ${m.duration_s} s, each watched over its socket through its success path, ${m.errors} failed${m.ended_after_sync ? `, ${m.ended_after_sync} of them late: ended once the watcher synced` : ""}): ` +
        `RSS ${m.rss_mb.ready} MB at ready, peak ${m.rss_mb.peak} MB at ${m.rss_mb.peak_at_s} s, ${m.rss_mb.end} MB at the end; ` +
        `${m.growth_mb >= 0 ? "+" : ""}${m.growth_mb} MB over the last ${m.growth_window_s} s (least-squares line)${m.growth_by_part_mb ? ` — main thread's heap ${signed(m.growth_by_part_mb.main_heap)}, environments' heaps ${signed(m.growth_by_part_mb.environments_heap)}${m.growth_by_part_mb.environments_heap_used === undefined ? "" : ` (in use ${signed(m.growth_by_part_mb.environments_heap_used)})`}, native ${signed(m.growth_by_part_mb.native)} MB` : ""}; execution environments at most ${m.environments.peak}, ${m.environments.end} at the end${m.environments.started === undefined ? "" : `, ${m.environments.started} started during the run (${m.environments.started_in_window} in the last ${m.growth_window_s} s)`}.`,
    );
  }
  if (results.targets.length) {
    sections.push(
      [
        "| goal (bench/lib/targets.ts) | ours | seed / limit | ratio | target | |",
        "|---|---|---|---|---|---|",
        ...results.targets.map(
          (t) =>
            `| ${t.metric} | ${t.ours} | ${t.seed_or_limit} | ${t.ratio} | ${t.goal} | ${t.pass ? "pass" : "FAIL"} |`,
        ),
      ].join("\n"),
    );
  }
  return sections.join("\n\n");
}

export function resultsMarkdown(results: BenchResults) {
  const m = results.machine;
  return `# Benchmark results

Measured by \`npm run bench -- --write-results\` (bench/run.ts) against the local runtime (\`npm start\`'s,
in a child process; the clients in the parent), ours and the seed's callback algorithm
(bench/baseline, run in the same runtime and harness: both variants' WebSocket and callback functions
in the runtime's process, not its worker-thread environments) metric by metric in one run. Not AWS: these
figures compare changes to this code on one machine, they do not predict Lambda, API Gateway or
DynamoDB latencies.

- Date: ${results.date}
- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.platform}
- Node: ${m.node}
- Load average (1 min) at the start: ${m.load_average_1m} on ${m.cores} cores
- Whole run: ${results.duration_s} s

${markdownTable(results)}
`;
}
