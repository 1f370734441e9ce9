/** The traffic the stage is sized for, the API Gateway throttles and the bill guard derived from it. */

/** A token bucket as API Gateway throttles: steady requests per second, and the burst it absorbs at once. */
export type Throttle = { rateLimit: number; burstLimit: number };

/**
 * The traffic the throttles are sized for, at the busiest minute of a shop of a few hundred orders a
 * day; the formula is in docs/protocol.md ("Throttles"). Change an input here, not a figure below.
 */
export const THROTTLE_SIZING = {
  /** Customers with an order's tracker page open at once. */
  concurrentCustomers: 300,
  /** Sockets one customer holds open (the page on a phone and on a laptop). */
  socketsPerCustomer: 2,
  /**
   * New sockets per open socket per minute: reloads, network changes, API Gateway's 10-minute idle and 2-hour closes.
   */
  connectsPerSocketPerMinute: 1,
  /** Messages per socket per minute besides the `sync` every open sends: a `sync` for a gap, a retried one. */
  messagesPerSocketPerMinute: 1,
  /** Page loads per minute; each is `GET /catalogue` plus `GET /orders/{id}` for the order it tracks. */
  pageLoadsPerMinute: 300,
  httpRequestsPerPageLoad: 2,
  /** Orders placed per minute (`POST /orders`). */
  ordersPerMinute: 60,
  /** Rate = headroom × the expected rate; burst = that rate for this many seconds at once. */
  headroom: 2,
  burstSeconds: 2,
} as const;

/** The throttle for an expected steady `perSecond`: headroom above it, and a burst of `burstSeconds` of it. */
export function throttleFor(
  perSecond: number,
  sizing: { headroom: number; burstSeconds: number } = THROTTLE_SIZING,
): Throttle {
  const rateLimit = Math.ceil(perSecond * sizing.headroom);
  return { rateLimit, burstLimit: rateLimit * sizing.burstSeconds };
}

/** The expected steady rates behind each throttle, per second, from `THROTTLE_SIZING`. */
export function expectedRates(sizing: typeof THROTTLE_SIZING = THROTTLE_SIZING) {
  const sockets = sizing.concurrentCustomers * sizing.socketsPerCustomer;
  const connects = (sockets * sizing.connectsPerSocketPerMinute) / 60;
  return {
    connects,
    // Every open sends one `sync`; every socket also closes once (`$disconnect` has no settings of its own).
    messages: connects + connects + (sockets * sizing.messagesPerSocketPerMinute) / 60,
    http: (sizing.pageLoadsPerMinute * sizing.httpRequestsPerPageLoad + sizing.ordersPerMinute) / 60,
  };
}

const EXPECTED = expectedRates();

/**
 * API Gateway's throttles, declared once: the stacks set them on the stages and routes (overridable
 * at deploy, `DEPLOY_ENV`), the local gateway enforces the same. `$connect` has its own, apart from
 * messages, so one socket's flood of messages cannot refuse other customers' new sockets.
 */
export const API_THROTTLES = {
  http: throttleFor(EXPECTED.http),
  webSocket: {
    /** Every route without settings of its own: messages (`$default`, `sync`) and `$disconnect`. */
    default: throttleFor(EXPECTED.messages),
    routes: { $connect: throttleFor(EXPECTED.connects) },
  },
} as const satisfies { http: Throttle; webSocket: { default: Throttle; routes: Record<string, Throttle> } };

/**
 * The bill guard: an alarm when more Step Functions executions start in 5 minutes than the stage's
 * expected orders would start, with headroom. Each order is one execution (Standard: ~8 transitions at
 * $0.025 per 1,000; Express: a request and its duration) and the whole order path behind it, so
 * executions started is what a flood of valid orders costs.
 */
export const BILL_GUARD = { periodSeconds: 300, headroom: 2 } as const;
/** The alarm's threshold (executions started in a period) for an expected rate of orders. */
export function billGuardThreshold(ordersPerSecond: number) {
  return Math.max(1, Math.ceil(ordersPerSecond * BILL_GUARD.periodSeconds * BILL_GUARD.headroom));
}
/** The orders per second the stage's throttles are sized for (`THROTTLE_SIZING.ordersPerMinute`). */
export const EXPECTED_ORDERS_PER_SECOND = THROTTLE_SIZING.ordersPerMinute / 60;
