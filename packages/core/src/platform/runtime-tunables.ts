/**
 * The tunables a function reads at run time (`Topology.ENV`), and the one check every tunable goes
 * through. Apart from ./tunables (which adds what only the stacks read) so that a Lambda bundle holds
 * these six, not the throttle and edge sizing behind the others.
 */
import { CONNECTION_TTL_SECONDS } from "./topology/routes";
import { ENV } from "./topology/wiring";

export type TunableSpec = {
  /** The environment variable that sets it. */
  variable: string;
  defaultValue: number;
  /** Inclusive bounds; every tunable is a whole number. */
  min: number;
  max: number;
  /** As in "a whole number of <unit>". */
  unit: string;
  /** Why the range is what it is, when that is not obvious; said in the error. */
  reason?: string;
};

/**
 * Posts in flight at once per fan-out: more than an order may have sockets (at most 18), so a status
 * goes to all of them at once; few enough to stay under the account's `@connections` rate and the
 * Lambda's sockets. Here, not in delivery/fan-out.ts: every function reads its tunables, and only two
 * may bundle the `@connections` client that delivery/fan-out.ts imports.
 */
export const DEFAULT_FANOUT_CONCURRENCY = 64;

const DAY_SECONDS = 24 * 60 * 60;

export const RUNTIME_TUNABLES = {
  /**
   * The order's item (history and every connection's attribute) expires this long after its last
   * write. Below the connections' TTL the item could expire under sockets that are still open, which
   * would then be answered `not_subscribed` for an order whose statuses are gone. The maximum only catches typos: a
   * callback token opens no socket after 24 hours (callbacks/token.ts).
   */
  historyRetentionSeconds: {
    variable: ENV.historyRetentionSeconds,
    defaultValue: DAY_SECONDS,
    min: CONNECTION_TTL_SECONDS,
    max: 30 * DAY_SECONDS,
    unit: "seconds",
    reason: `at least the connections' TTL (${CONNECTION_TTL_SECONDS} s), so that an order's item outlives its sockets`,
  },
  /**
   * Each synced socket adds 54 bytes to the order's item, whose every write is billed per started KB;
   * at most 18 keeps the sockets within one KB, one write unit. The arithmetic and the partition's
   * limit: docs/decisions/order-item-size.md ("The range of MAX_CONNECTIONS_PER_ORDER").
   */
  maxConnectionsPerOrder: {
    variable: ENV.maxConnectionsPerOrder,
    /** The next `$connect` is refused with 429. */
    defaultValue: 10,
    min: 1,
    max: 18,
    unit: "sockets",
    reason: "each socket adds 54 bytes to the order's item, which every write of it pays for per KB",
  },
  /** A client sends one `sync` per open and one per gap: past 20 a second the bucket limits nothing. */
  syncRatePerSecond: {
    variable: ENV.syncRatePerSecond,
    defaultValue: 2,
    min: 1,
    max: 20,
    unit: "messages per second per socket",
  },
  /**
   * At least 2: the bucket tells a streak of refusals apart only by a burst's second writes (callbacks/rate-limit.ts).
   */
  syncBurst: {
    variable: ENV.syncBurst,
    defaultValue: 5,
    min: 2,
    max: 100,
    unit: "messages per socket",
    reason: "the message bucket needs room for two messages to tell a streak of refusals apart",
  },
  /**
   * Each post in flight holds a socket of the management client's pool in one execution environment,
   * which may open 1,024 file descriptors in all; more posts in flight would only queue.
   */
  fanoutConcurrency: {
    variable: ENV.fanoutConcurrency,
    defaultValue: DEFAULT_FANOUT_CONCURRENCY,
    min: 1,
    max: 256,
    unit: "posts in flight",
  },
  /**
   * An order's item in OrdersTbl (basket, shipping address, statuses) expires this long after it was
   * placed; after it, `GET /orders/{id}` answers 404 and the steps and the projection see no order
   * (erase-order still removes the item, expired or not). At least 2 days: longer than the Idempotency-Key's record (24
   * h), so that a retried
   * `POST /orders` never finds its claim alive and its order gone (and stores the order again under a
   * workflow that has already run), and longer than the callback token (24 h) and the workflow (1 h).
   * See docs/deploy-and-operate.md ("How long an order is kept").
   */
  orderRetentionDays: {
    variable: ENV.orderRetentionDays,
    defaultValue: 30,
    min: 2,
    max: 3_650,
    unit: "days",
    reason: "longer than an Idempotency-Key's record and a callback token (24 hours each)",
  },
} as const satisfies Record<string, TunableSpec>;
export type RuntimeTunableName = keyof typeof RUNTIME_TUNABLES;

/** One or more tunables set out of range; the message names each variable, its value and what is allowed. */
export class TunableError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "TunableError";
  }
}

const WHOLE_NUMBER = /^\d+$/;

function problemOf(spec: TunableSpec, raw: string) {
  const value = Number(raw);
  if (WHOLE_NUMBER.test(raw) && Number.isSafeInteger(value) && value >= spec.min && value <= spec.max) return undefined;
  const why = spec.reason ? `; ${spec.reason}` : "";
  return `${spec.variable}="${raw}" is not allowed: it must be a whole number of ${spec.unit} from ${spec.min} to ${spec.max} (default ${spec.defaultValue})${why}`;
}

/** The value of `spec`: its default when `raw` is unset or empty, else `raw` if it is a whole number in range. */
export function parseSpec(spec: TunableSpec, raw: string | undefined): number {
  if (raw === undefined || raw === "") return spec.defaultValue;
  const problem = problemOf(spec, raw);
  if (problem) throw new TunableError([problem]);
  return Number(raw);
}

/** The value of one tunable a function reads, as `parseTunable` (./tunables) reads it. */
export const parseRuntimeTunable = (name: RuntimeTunableName, raw: string | undefined) =>
  parseSpec(RUNTIME_TUNABLES[name], raw);
