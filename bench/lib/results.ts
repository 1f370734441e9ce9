/** The shape of bench/results/latest.json. A run of a subset (`--only`) holds only its figures. */
import type { describeMachine } from "./machine";
import type { BundleFigures } from "../metrics/bundles";
import type { PostCost } from "../metrics/post-cost";
import type { VariantCost } from "../metrics/cost";
import type { ORDER_PATH_PRICES, Prices } from "./aws-prices";
import type { OrderPathResults } from "../metrics/order-path-cost";
import type { MemoryFigures } from "../metrics/memory";

export type Latency = { p50: number; p95: number; p99: number };
/** One variant's callback figures (ours, or the seed baseline's in the same run). */
export type CallbackFigures = {
  latency_ms?: Latency;
  latency_run?: { events: number; offered_per_s: number; achieved_per_s: number };
  /** Each alternating round's p99; the figures above are the median round's. */
  latency_rounds_p99?: number[];
  fanout_1000_ms?: number;
  fanout_rounds?: Array<{ first_ms: number; last_ms: number }>;
  throughput_statuses_per_s?: number;
  throughput_run?: { statuses: number; lost: number; seconds: number };
  /** Each alternating round's statuses per second; the figures above are the median round's. */
  throughput_rounds?: number[];
  /** With 0, 1 and the most sockets per order a deploy may allow (`max`: Tunables' maxConnectionsPerOrder.max). */
  dynamodb_requests_per_status?: { "0": number; "1": number; max: number };
};

/** What a delivered status costs on AWS (bench/metrics/cost.ts), ours and the seed's, and the prices used. */
export type CostResults = {
  /**
   * When and under what load the cost figures were measured (a cost-only run may be newer than the rest of RESULTS.md).
   */
  date: string;
  load_average_1m: number;
  /** The DynamoDB that answered the capacity units. */
  engine: string;
  scenario: { orders: number; statuses_per_order: number; step_delay_ms: number; concurrency: number };
  prices: Prices;
  ours: VariantCost;
  seed?: VariantCost;
  /**
   * The whole order path per workflow type, per million orders (bench/metrics/order-path-cost.ts), and the prices it
   * adds.
   */
  order_path?: OrderPathResults & { prices: typeof ORDER_PATH_PRICES };
  /** Every scenario (the first is the one above): what the callback store's layout decides, ours next to the seed's. */
  scenarios?: ScenarioCost[];
};

/** One cost scenario's figures per delivered status, for each variant. */
export type ScenarioFigures = Pick<
  VariantCost,
  | "callback_store_write_units_per_status"
  | "write_units_per_status"
  | "failed_conditional_writes_per_status"
  | "usd_per_million_statuses"
  | "statuses_published"
  | "statuses_delivered"
  | "lost"
>;
export type ScenarioCost = {
  name: string;
  watchers: number;
  path: string;
  orders: number;
  ours: ScenarioFigures;
  seed?: ScenarioFigures;
};

export type Target = {
  metric: string;
  ours: number;
  seed_or_limit: number;
  ratio: number;
  goal: string;
  pass: boolean;
};

export type BenchResults = CallbackFigures & {
  date: string;
  machine: ReturnType<typeof describeMachine>;
  only: string[];
  seed?: CallbackFigures;
  post_cpu_us?: PostCost;
  bundles?: Record<string, BundleFigures>;
  cost?: CostResults;
  /** `npm start`'s runtime under a steady load (bench/metrics/memory.ts). */
  memory?: MemoryFigures;
  targets: Target[];
  duration_s: number;
};
