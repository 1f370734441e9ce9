/**
 * API Gateway's throttling: a token bucket per route, holding at most `burstLimit` requests and
 * refilled at `rateLimit` per second; a request that finds it empty is refused with 429 before any
 * integration runs. A route without settings of its own gets its own bucket of the stage's default
 * size (AWS's "Protect your WebSocket APIs in API Gateway": token bucket, route limits override the
 * stage's; "Gateway response types": THROTTLED, 429, `{"message":"Too Many Requests"}`). Over a
 * WebSocket a refused `$connect` is the handshake's HTTP answer; a refused message can only be
 * answered with a frame, shaped like API Gateway's other error frames. Account-level limits (10,000
 * RPS, 500 new WebSocket connections a second) are far above any stage's here and are not modelled.
 */
export type Throttle = { rateLimit: number; burstLimit: number };
export type RouteThrottleSettings = { default?: Throttle; routes?: Readonly<Record<string, Throttle>> };

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly throttle: Throttle,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = throttle.burstLimit;
    this.refilledAt = now();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.throttle.burstLimit,
      this.tokens + ((now - this.refilledAt) / 1000) * this.throttle.rateLimit,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** `admit(routeKey)`: true if the route's bucket had a token; always true for a route with no settings at all. */
export function routeThrottles(settings: RouteThrottleSettings = {}, now?: () => number) {
  const buckets = new Map<string, TokenBucket>();
  return (routeKey: string): boolean => {
    const throttle =
      (Object.hasOwn(settings.routes ?? {}, routeKey) ? settings.routes![routeKey] : undefined) ?? settings.default;
    if (!throttle) return true;
    let bucket = buckets.get(routeKey);
    if (!bucket) {
      bucket = new TokenBucket(throttle, now);
      buckets.set(routeKey, bucket);
    }
    return bucket.take();
  };
}
export type RouteAdmission = ReturnType<typeof routeThrottles>;
