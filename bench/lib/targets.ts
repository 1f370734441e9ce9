/**
 * The benchmark's goals, as ratios of figures of one run (ours against the seed's, or a fixed limit); each is met or
 * not.
 */
import type { BenchResults, Target } from "./results";
import { round } from "./stats";

export const GOALS = {
  throughputVsSeed: 1.0,
  fanoutSpeedupVsSeed: 3,
  p99VsSeed: 1.0,
  dynamodbRequestsPerStatus: 3,
  bundleBytes: 600 * 1024,
  importVsSdkFloor: 1.5,
  writeUnitsPerStatus: 2,
  /** In every cost scenario, the callback store's write units per status at most the seed's. */
  callbackStoreWritesVsSeed: 1,
  costVsSeed: 1.2,
  /** `npm start` on a laptop: RSS at its peak, and its growth over the last 40% of the run, MB. */
  memoryPeakMb: 600,
  memoryGrowthMb: 25,
};

export function computeTargets(r: Omit<BenchResults, "targets" | "duration_s">): Target[] {
  const targets: Target[] = [];
  const add = (metric: string, ours: number, other: number, ratio: number, goal: string, pass: boolean) =>
    targets.push({ metric, ours, seed_or_limit: other, ratio: round(ratio, 2), goal, pass });
  const seed = r.seed ?? {};
  if (r.throughput_statuses_per_s !== undefined && seed.throughput_statuses_per_s) {
    const ratio = r.throughput_statuses_per_s / seed.throughput_statuses_per_s;
    add(
      "throughput vs seed",
      r.throughput_statuses_per_s,
      seed.throughput_statuses_per_s,
      ratio,
      `≥ ${GOALS.throughputVsSeed}×`,
      ratio >= GOALS.throughputVsSeed,
    );
  }
  if (r.fanout_1000_ms && seed.fanout_1000_ms) {
    const speedup = seed.fanout_1000_ms / r.fanout_1000_ms;
    add(
      "fan-out to 1,000: seed ms / ours ms",
      r.fanout_1000_ms,
      seed.fanout_1000_ms,
      speedup,
      `≥ ${GOALS.fanoutSpeedupVsSeed}×`,
      speedup >= GOALS.fanoutSpeedupVsSeed,
    );
  }
  if (r.latency_ms && seed.latency_ms) {
    const ratio = r.latency_ms.p99 / seed.latency_ms.p99;
    add(
      `p99 vs seed at ${r.latency_run?.offered_per_s}/s`,
      r.latency_ms.p99,
      seed.latency_ms.p99,
      ratio,
      `≤ ${GOALS.p99VsSeed}×`,
      ratio <= GOALS.p99VsSeed,
    );
  }
  for (const [connections, requests] of Object.entries(r.dynamodb_requests_per_status ?? {})) {
    const limit = GOALS.dynamodbRequestsPerStatus;
    add(
      `DynamoDB requests per status, ${connections} conn.`,
      requests,
      limit,
      requests / limit,
      `≤ ${limit}`,
      requests <= limit,
    );
  }
  for (const [name, b] of Object.entries(r.bundles ?? {})) {
    add(
      `${name} bytes`,
      b.bytes,
      GOALS.bundleBytes,
      b.bytes / GOALS.bundleBytes,
      "≤ 600 KB",
      b.bytes <= GOALS.bundleBytes,
    );
    if (b.ratio !== null)
      add(
        `${name} import CPU ms vs SDK floor`,
        b.init_cpu_ms,
        b.sdk_floor_init_cpu_ms,
        b.ratio,
        `≤ ${GOALS.importVsSdkFloor}×`,
        b.ratio <= GOALS.importVsSdkFloor,
      );
  }
  if (r.cost) {
    const { ours, seed } = r.cost;
    add("statuses ours lost in the cost run", ours.lost, 0, ours.lost, "0", ours.lost === 0);
    const units = ours.callback_store_write_units_per_status;
    add(
      "callback store write units per status",
      units,
      GOALS.writeUnitsPerStatus,
      units / GOALS.writeUnitsPerStatus,
      `≤ ${GOALS.writeUnitsPerStatus}`,
      units <= GOALS.writeUnitsPerStatus,
    );
    for (const [i, s] of (r.cost.scenarios ?? []).entries()) {
      // The first scenario is the run above, whose losses are counted already.
      if (i > 0) add(`statuses ours lost, ${s.name}`, s.ours.lost, 0, s.ours.lost, "0", s.ours.lost === 0);
      if (!s.seed) continue;
      const [o, b] = [s.ours.callback_store_write_units_per_status, s.seed.callback_store_write_units_per_status];
      add(
        `callback store write units per status vs seed, ${s.name}`,
        o,
        b,
        o / b,
        `≤ ${GOALS.callbackStoreWritesVsSeed}×`,
        o <= b * GOALS.callbackStoreWritesVsSeed,
      );
    }
    if (seed) {
      const ratio = ours.usd_per_million_statuses / seed.usd_per_million_statuses;
      add(
        "USD per million statuses vs seed",
        ours.usd_per_million_statuses,
        seed.usd_per_million_statuses,
        ratio,
        `≤ ${GOALS.costVsSeed}×`,
        ratio <= GOALS.costVsSeed,
      );
    }
  }
  if (r.memory) {
    const m = r.memory;
    const at = `${m.orders_per_s} orders/s, ${Math.round(m.duration_s / 60)} min`;
    add(
      `npm start RSS peak MB, ${at}`,
      m.rss_mb.peak,
      GOALS.memoryPeakMb,
      m.rss_mb.peak / GOALS.memoryPeakMb,
      `≤ ${GOALS.memoryPeakMb}`,
      m.rss_mb.peak <= GOALS.memoryPeakMb,
    );
    add(
      `npm start RSS growth MB, last ${m.growth_window_s} s`,
      m.growth_mb,
      GOALS.memoryGrowthMb,
      m.growth_mb / GOALS.memoryGrowthMb,
      `≤ ${GOALS.memoryGrowthMb}`,
      m.growth_mb <= GOALS.memoryGrowthMb,
    );
    add("orders that failed in the memory run", m.errors, 0, m.errors, "0", m.errors === 0);
  }
  return targets;
}
