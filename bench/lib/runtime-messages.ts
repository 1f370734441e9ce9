/** The IPC messages between the benchmark and its runtime process. */
import type { RuntimeState } from "../../packages/local/src/runtime/state-file";
import type { MeterSnapshot } from "./aws-meter";

export type RuntimeRequest = { id: number; op: "counters" | "idle" | "close" };
/** `meter`: only when the runtime runs with the AWS meter (see aws-meter.ts). */
/**
 * `environments`: execution environments (worker threads) alive now, every function together;
 * `mainHeapMb`: the runtime's main thread's heap in use (the emulators, dynalite's tables), and
 * `mainHeapTotalMb` what V8 holds for it; `environmentsHeapMb`: what the environments' V8 heaps hold,
 * all together, as of each one's last invocation or collection, and `environmentsHeapUsedMb` what
 * they use of it (live objects, and garbage until a collection). RSS less both heaps is native memory.
 * `coldStarts`: environments started so far (each one discarded to make room, after a timeout or
 * idle, is replaced).
 */
export type Counters = {
  dynamodbRequests: number;
  retries: number;
  environments: number;
  coldStarts: number;
  mainHeapMb: number;
  mainHeapTotalMb: number;
  environmentsHeapMb: number;
  environmentsHeapUsedMb: number;
  meter?: MeterSnapshot;
};
export type RuntimeResponse = { id: number; result: Counters | null } | { ready: { state: RuntimeState } };
