/**
 * memory: what `npm start` holds on a developer's machine under a steady trickle of orders
 * (`ORDERS_PER_S`, each watched over its own socket through its success path), the runtime run as under
 * `npm start`. The runtime process's RSS is sampled every second with its count of environments;
 * figures: RSS at ready, its peak, and its growth over the last 40% of the run (a least-squares line).
 * Goals in targets.ts; method: docs/bench-methods.md, "memory".
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as OrderStatus from "@awsomepets/core/status/event";
import { closeAll, openSyncedSocket, type SyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import { sleep } from "../lib/wait";
import { SUCCESS_ORDER } from "./throughput";

export const ORDERS_PER_S = 5;
export const DEFAULT_MINUTES = 3;
/** The share of the run, at its end, over which growth is measured (4 of 10 minutes). */
export const GROWTH_WINDOW = 0.4;
/** An order not at its last status this long after it was placed counts as an error. */
const ORDER_TIMEOUT_MS = 60_000;
/**
 * At that timeout the watcher syncs once and waits this long more, to tell a status that is late (the
 * sync brings it: recorded, pending, its push failed or not retried yet) from one not recorded at all.
 */
const LATE_SYNC_WAIT_MS = 10_000;
/** How a late order's failure begins, to count them apart. */
const LATE = "late: ";
const SAMPLE_MS = 1_000;

type Sample = [number, number, number, number, number, number, number];

export type MemoryFigures = {
  duration_s: number;
  orders_per_s: number;
  orders: number;
  /**
   * Orders that failed: a POST refused, a socket not synced, a status missing or shown twice, no last status in time.
   */
  errors: number;
  first_error?: string;
  /** Of `errors`: orders that ended only after the watcher's 60 s (late, not lost), whatever brought the status. */
  ended_after_sync?: number;
  rss_mb: { ready: number; peak: number; peak_at_s: number; end: number };
  /** Over the last 40% of the run: the fitted line's rise, and the window's length. */
  growth_mb: number;
  growth_window_s: number;
  /** Environments alive at most and at the end; started during the run, and during the growth window. */
  environments: { peak: number; end: number; started: number; started_in_window: number };
  /** The main thread's heap in use (emulators, tables), MB: at ready and at the end. */
  main_heap_mb: { ready: number; end: number };
  /**
   * Where the growth is: over the same window as `growth_mb`, the fitted rise of the main thread's
   * heap (committed), of the environments' heaps (committed, all together), and of the rest of the
   * RSS (native: malloc, buffers, thread stacks, code); and of the environments' heaps in use
   * (live objects and garbage not collected yet).
   */
  growth_by_part_mb: { main_heap: number; environments_heap: number; native: number; environments_heap_used: number };
  /**
   * One sample in ten: [seconds since ready, RSS MB, environments, main thread heap in use MB, main
   * thread heap committed MB, environments' heaps committed MB, environments' heaps in use MB].
   */
  series: Array<Sample>;
};

/** Resident set of a process, MB: its whole address space, so every worker thread's heap too. */
export function rssMb(pid: number): number {
  if (process.platform === "linux") {
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return round(kb / 1024);
  }
  return round(Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) / 1024);
}

/** The rise of the least-squares line through (t, y) from its first t to its last. */
export function fittedRise(samples: ReadonlyArray<readonly [number, number]>): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mt = samples.reduce((s, [t]) => s + t, 0) / n;
  const my = samples.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = samples.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0);
  const sxx = samples.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * (samples[n - 1]![0] - samples[0]![0]);
}

/** The statuses of the order the watcher places (SUCCESS_ORDER): the saga's success path. */
const SUCCESS_PATH: readonly OrderStatus.Status[] = ["placed", "reserved", "paid", "completed"];

/**
 * Places one order and watches it to its end: every status of its path, seqs 1 to 4 each with its own
 * status. A seq may come twice (a push racing the sync's answer: the protocol's client drops the
 * copy), and seqs follow the order in which the callback recorded the statuses, which retried
 * deliveries can make differ from the saga's (`completed` seq 3, `paid` seq 4): the watcher waits for
 * the path, not for the terminal status's seq. It fails at once on a seq that comes with two
 * statuses, a status under two seqs, or another ending. Resolves with why it failed, or undefined.
 */
async function watchOneOrder(runtime: BenchRuntime, sockets: Set<SyncedSocket>): Promise<string | undefined> {
  const placedAt = performance.now();
  const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: SUCCESS_ORDER,
  });
  const placed = (await response.json()) as { orderId?: string };
  if (response.status !== 202 || !placed.orderId) return `POST /orders ${response.status}`;
  const orderId = placed.orderId;
  const seqs = new Map<number, OrderStatus.Status>();
  const others: string[] = []; // frames that are neither statuses nor `synced`: errors, the gateway's own
  let answering = false; // between the watcher's own sync (at its timeout) and its `synced`
  let broughtBySync = false;
  let ended!: (failure: string | undefined) => void;
  const end = new Promise<string | undefined>((resolve) => (ended = resolve));
  const socket = await openSyncedSocket(runtime.state.endpoints.websocket, orderId, (frame) => {
    if (frame.type === "synced") {
      answering = false;
      return;
    }
    if (frame.type !== "status") return void others.push(JSON.stringify(frame).slice(0, 80));
    const known = seqs.get(frame.seq);
    if (known !== undefined && known !== frame.status)
      return ended(`order ${orderId}: seq ${frame.seq} came as ${known} and as ${frame.status}`);
    if (known === undefined && [...seqs.values()].includes(frame.status))
      return ended(`order ${orderId}: ${frame.status} shown twice`);
    seqs.set(frame.seq, frame.status);
    broughtBySync ||= answering;
    if (OrderStatus.isTerminal(frame.status) && !SUCCESS_PATH.includes(frame.status))
      return ended(`order ${orderId} ended ${frame.status}`);
    const held = new Set(seqs.values());
    if (
      seqs.size === SUCCESS_PATH.length &&
      Math.max(...seqs.keys()) === seqs.size &&
      SUCCESS_PATH.every((s) => held.has(s))
    )
      ended(undefined);
  });
  sockets.add(socket);
  let closeCode: number | undefined;
  socket.socket.once("close", (code) => (closeCode = code));
  const within = (ms: number) => Promise.race([end.then((failure) => ({ failure })), sleep(ms).then(() => undefined)]);
  try {
    const first = await within(ORDER_TIMEOUT_MS);
    if (first) return first.failure;
    const held = () =>
      `seqs ${
        [...seqs]
          .sort(([a], [b]) => a - b)
          .map(([seq, status]) => `${seq} ${status}`)
          .join(", ") || "none"
      }${others.length ? `, other frames ${others.join(" ")}` : ""}`;
    if (closeCode !== undefined)
      return `order ${orderId}: socket closed with ${closeCode} before the order ended (${held()})`;
    let contiguous = 0;
    while (seqs.has(contiguous + 1)) contiguous++;
    answering = true;
    socket.socket.send(JSON.stringify({ action: "sync", orderId, after: contiguous }));
    const second = await within(LATE_SYNC_WAIT_MS);
    const waited = Math.round((performance.now() - placedAt) / 1000);
    if (!second) return `order ${orderId} not ended in ${waited} s, a sync included (${held()})`;
    if (second.failure) return second.failure;
    return `${LATE}order ${orderId} ended only after ${ORDER_TIMEOUT_MS / 1000} s, ${
      broughtBySync ? "brought by the watcher's sync" : "pushed while its sync was asked"
    } (${held()})`;
  } finally {
    sockets.delete(socket);
    await socket.close();
  }
}

export async function measureMemory(
  runtime: BenchRuntime,
  options: { minutes?: number; progress?: (line: string) => void } = {},
): Promise<MemoryFigures> {
  const durationMs = (options.minutes ?? DEFAULT_MINUTES) * 60_000;
  const samples: Array<Sample> = [];
  const sockets = new Set<SyncedSocket>();
  const orders: Promise<string | undefined>[] = [];
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  let sampling = true;
  const coldStartsAt: Array<[number, number]> = [];
  const sampler = (async () => {
    for (let next = start; sampling; next += SAMPLE_MS) {
      const { environments, coldStarts, mainHeapMb, mainHeapTotalMb, environmentsHeapMb, environmentsHeapUsedMb } =
        await runtime.counters();
      coldStartsAt.push([round(elapsed(), 1), coldStarts]);
      samples.push([
        round(elapsed(), 1),
        rssMb(runtime.pid),
        environments,
        mainHeapMb,
        mainHeapTotalMb,
        environmentsHeapMb,
        environmentsHeapUsedMb,
      ]);
      if (samples.length % 60 === 0)
        options.progress?.(
          `memory: ${Math.round(elapsed())} s, RSS ${samples.at(-1)![1]} MB, ${environments} environments, ${orders.length} orders`,
        );
      await sleep(Math.max(0, next + SAMPLE_MS - performance.now()));
    }
  })();
  try {
    // On a schedule, not one after another: a slow order does not slow the offered load.
    for (let i = 0; performance.now() - start < durationMs; i++) {
      const failed = (failure: string | undefined) => {
        if (failure) options.progress?.(`memory: at ${Math.round(elapsed())} s, ${failure}`);
        return failure;
      };
      orders.push(
        watchOneOrder(runtime, sockets)
          .catch((error: Error) => error.message)
          .then(failed),
      );
      await sleep(Math.max(0, start + ((i + 1) * 1000) / ORDERS_PER_S - performance.now()));
    }
  } finally {
    sampling = false;
    await sampler;
  }
  const outcomes = await Promise.all(orders);
  await closeAll([...sockets]);
  const windowStart = samples[samples.length - 1]![0] * (1 - GROWTH_WINDOW);
  const window = samples.filter(([t]) => t >= windowStart);
  const peak = samples.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    duration_s: round(samples.at(-1)![0], 0),
    orders_per_s: ORDERS_PER_S,
    orders: outcomes.length,
    errors: outcomes.filter((failure) => failure !== undefined).length,
    ...(outcomes.some((failure) => failure !== undefined)
      ? {
          first_error: outcomes.find((failure) => failure !== undefined),
          ended_after_sync: outcomes.filter((failure) => failure?.startsWith(LATE)).length,
        }
      : {}),
    rss_mb: { ready: samples[0]![1], peak: peak[1], peak_at_s: round(peak[0], 0), end: samples.at(-1)![1] },
    growth_mb: round(fittedRise(window.map(([t, rss]) => [t, rss] as const))),
    growth_window_s: round(window.at(-1)![0] - window[0]![0], 0),
    growth_by_part_mb: {
      main_heap: round(fittedRise(window.map(([t, , , , main]) => [t, main] as const))),
      environments_heap: round(fittedRise(window.map(([t, , , , , envs]) => [t, envs] as const))),
      native: round(fittedRise(window.map(([t, rss, , , main, envs]) => [t, rss - main - envs] as const))),
      environments_heap_used: round(fittedRise(window.map(([t, , , , , , used]) => [t, used] as const))),
    },
    environments: {
      peak: Math.max(...samples.map(([, , e]) => e)),
      end: samples.at(-1)![2],
      started: coldStartsAt.at(-1)![1] - coldStartsAt[0]![1],
      started_in_window: coldStartsAt.at(-1)![1] - coldStartsAt.find(([t]) => t >= windowStart)![1],
    },
    main_heap_mb: { ready: samples[0]![3], end: samples.at(-1)![3] },
    series: samples.filter((_, i) => i % 10 === 0),
  };
}
