/**
 * A token bucket per connection for `sync` messages, kept in the function container's memory so that
 * refusing costs nothing: no DynamoDB request, no status posts. API Gateway has no per-connection
 * rate limit; the stage's throttling bounds the whole API, this bounds one socket (per container —
 * on AWS a flood spread over N warm containers gets at most N × the rate; docs/protocol.md).
 */
export const DEFAULT_SYNC_RATE = { perSecond: 2, burst: 5 } as const;

/** Buckets kept at most; the least recently used go first. A bucket is ~100 bytes. */
const MAX_BUCKETS = 10_000;

export type SyncAdmission =
  /** Serve it. */
  | "allow"
  /** Refuse it and say so (the first refusal of a streak). */
  | "limit"
  /** Refuse it silently: the client was already told, and telling it again would cost a post. */
  | "drop";

type Bucket = { tokens: number; at: number; told: boolean };

export class SyncRateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: { perSecond: number; burst: number } = DEFAULT_SYNC_RATE,
    private readonly now: () => number = Date.now,
  ) {}

  take(connectionId: string): SyncAdmission {
    const now = this.now();
    const bucket = this.buckets.get(connectionId) ?? { tokens: this.rate.burst, at: now, told: false };
    this.buckets.delete(connectionId); // re-inserted last: Map order is recency order
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    let admission: SyncAdmission;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.told = false;
      admission = "allow";
    } else {
      admission = bucket.told ? "drop" : "limit";
      bucket.told = true;
    }
    this.buckets.set(connectionId, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    return admission;
  }

}
