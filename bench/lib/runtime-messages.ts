/** The IPC messages between the benchmark and its runtime process. */
import type { RuntimeState } from "../../packages/local/src/runtime/state-file";
import type { MeterSnapshot } from "./aws-meter";

export type RuntimeRequest = { id: number; op: "counters" | "idle" | "close" };
/** `meter`: only when the runtime runs with the AWS meter (see aws-meter.ts). */
/**
 * `environments`: execution environments (worker threads) alive now, every function together;
 * `mainHeapMb`: the runtime's main thread's heap in use (the emulators, dynalite's tables).
 */
export type Counters = {
  dynamodbRequests: number;
  retries: number;
  environments: number;
  mainHeapMb: number;
  meter?: MeterSnapshot;
};
export type RuntimeResponse = { id: number; result: Counters | null } | { ready: { state: RuntimeState } };
