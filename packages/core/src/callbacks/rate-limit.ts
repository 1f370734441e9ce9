/**
 * The per-socket message limit as arithmetic only: a GCRA ("theoretical arrival time") bucket whose
 * state lives in the connection's attribute of the order's item, where every Lambda execution
 * environment sees it (CallbackStore.admitMessage makes the conditional writes). A module's memory
 * would be one environment's: Lambda spreads a flood over many, each with its own.
 *
 * The bucket admits `burst` messages at once and one more every `1 / perSecond` seconds: a message at
 * `now` is admitted iff its TAT ≤ now + (burst − 1)·T, and then TAT becomes max(TAT, now) + T.
 */
import { RUNTIME_TUNABLES } from "../platform/runtime-tunables";

/**
 * The bucket's rate and burst unless a deploy sets them (`SYNC_RATE_PER_SECOND`, `SYNC_BURST`; platform/runtime-tunables.ts).
 */
export const DEFAULT_SYNC_RATE = {
  perSecond: RUNTIME_TUNABLES.syncRatePerSecond.defaultValue,
  burst: RUNTIME_TUNABLES.syncBurst.defaultValue,
} as const;

export type SyncRate = { readonly perSecond: number; readonly burst: number };

/**
 * The bucket as stored (epoch ms). DynamoDB's expressions can add but have no max(), so the TAT is
 * kept as two numbers and is their max: `idleTat` = now + T, set by every message's first write
 * (what the TAT is when the bucket was idle), and `burstTat`, charged by a second write only when
 * the bucket was not idle. `toldTat` is the `burstTat` the last first write saw: a refusal is told
 * once per value of `burstTat`, i.e. once per streak (every admission in a burst changes it).
 */
export type StoredBucket = { idleTat?: number; burstTat?: number; toldTat?: number };

export type BucketState =
  /** TAT ≤ now: the first write alone admitted it. */
  | { kind: "idle" }
  /** now < TAT ≤ now + τ: admitted if the second write, which charges it, still finds room. */
  | { kind: "burst" }
  /** TAT > now + τ: refused; `tell` for the first refusal of a streak. */
  | { kind: "limited"; tell: boolean };

/** The emission interval T, in ms. */
export const intervalMs = (rate: SyncRate) => 1000 / rate.perSecond;

/** The latest TAT at which a message at `nowMs` is still admitted: now + (burst − 1)·T. */
export const admitUpTo = (rate: SyncRate, nowMs: number) => nowMs + (effectiveBurst(rate) - 1) * intervalMs(rate);

/**
 * A burst below 2 counts as 2: a refusal's first write raises `idleTat` to now + T, which is harmless
 * only while the TAT of a refused message is past now + T, and a streak is told apart only by the
 * second writes of a burst.
 */
export const effectiveBurst = (rate: SyncRate) => Math.max(2, Math.floor(rate.burst));

/** The TAT as stored: the larger of its two parts (absent: the bucket never admitted anything). */
export const tatOf = (bucket: StoredBucket) => Math.max(bucket.idleTat ?? -Infinity, bucket.burstTat ?? -Infinity);

/** What the first write found, from the bucket as it was just before that write. */
export function classify(before: StoredBucket, rate: SyncRate, nowMs: number): BucketState {
  const tat = tatOf(before);
  if (tat <= nowMs) return { kind: "idle" };
  if (tat <= admitUpTo(rate, nowMs)) return { kind: "burst" };
  return { kind: "limited", tell: (before.toldTat ?? -1) !== (before.burstTat ?? 0) };
}
