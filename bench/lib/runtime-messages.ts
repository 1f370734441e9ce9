/** The IPC messages between the benchmark and its runtime process. */
import type { RuntimeState } from "../../packages/local/src/runtime/state-file";

export type RuntimeRequest = { id: number; op: "counters" | "idle" | "close" };
export type Counters = { dynamodbRequests: number; retries: number };
export type RuntimeResponse = { id: number; result: Counters | null } | { ready: { state: RuntimeState } };
