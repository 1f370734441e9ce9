/** The shape of bench/results/latest.json. */
import type { describeMachine } from "./machine";

export type BenchResults = {
  date: string;
  machine: ReturnType<typeof describeMachine>;
  latency_ms: { p50: number; p95: number; p99: number };
  latency_run: { events: number; achieved_per_s: number };
  fanout_1000_ms: number;
  fanout_rounds: Array<{ first_ms: number; last_ms: number }>;
  throughput_statuses_per_s: number;
  throughput_run: { statuses: number; seconds: number };
  dynamodb_requests_per_status: { "1": number; "100": number };
  bundles: Record<string, { bytes: number; init_ms: number; bytes_min_sdk_external: number }>;
  duration_s: number;
};
