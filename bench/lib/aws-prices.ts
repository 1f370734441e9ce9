/**
 * AWS list prices the benchmark and `npm run capacity` price usage with: one region (us-east-1),
 * on-demand, Lambda on arm64, no free tier, no savings plan, the first volume tier of each. Prices
 * change: `checked` says when and how each was last compared with its page; update the figure, the
 * date and the note together. The benchmark copies this table into bench/results/latest.json
 * (`cost.prices`) so that every priced figure says which prices it used.
 */
export const PRICES = {
  region: "us-east-1",
  checked: "2026-12-02",
  dynamodb: {
    /**
     * On-demand, Standard table class: one write request unit per started KB of the larger item (before/after), per
     * index written too.
     */
    usd_per_million_write_units: 0.625,
    /** One read request unit per started 4 KB, strongly consistent; half for eventually consistent. */
    usd_per_million_read_units: 0.125,
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    note: "On-demand prices as cut by half on 2024-11-01; the figures here come from a third-party copy of the page (airbyte.com, 'DynamoDB pricing'), not the page itself.",
  },
  lambda: {
    /** arm64, first 7.5 billion GB-seconds a month. Billed duration: rounded up to the millisecond. */
    usd_per_gb_second: 0.0000133334,
    usd_per_million_requests: 0.2,
    source: "https://aws.amazon.com/lambda/pricing/",
    note: "arm64 list price, unchanged since arm64 launched (2021-09); the figures here come from third-party copies of the page (cloudchipr.com, 2024).",
  },
  apiGatewayWebSocket: {
    /**
     * Messages sent and received (the client's frames and every @connections post), metered in 32 KB increments; first
     * billion a month.
     */
    usd_per_million_messages: 1.0,
    /** Each connection's open minutes: not per status; `npm run capacity` prices watching customers with it. */
    usd_per_million_connection_minutes: 0.25,
    source: "https://aws.amazon.com/api-gateway/pricing/",
    note: "From the public list price as I know it (the search corpus's copies of the page render the rate table without numbers); unchanged since WebSocket APIs launched (2018-12).",
  },
  eventBridge: {
    /** Custom events published to a bus, per 64 KB chunk; delivery to a same-account Lambda target is free. */
    usd_per_million_events: 1.0,
    source: "https://aws.amazon.com/eventbridge/pricing/",
    note: "Figures from third-party copies of the page (cloudburn.io, March 2026; awsfundamentals.com). The orders archive also bills $0.10 per GB archived, left out (a status event is under 1 KB).",
  },
  stepFunctions: {
    /** Standard workflows: every state entered, retries included. */
    usd_per_thousand_transitions: 0.025,
    source: "https://aws.amazon.com/step-functions/pricing/",
    note: "From a copy of the page itself in the search corpus (US East (N. Virginia) $0.0250 per 1,000).",
  },
} as const;

export type Prices = typeof PRICES;

/**
 * The prices the whole order path adds to PRICES (bench/metrics/order-path-cost.ts): Express
 * workflows, the HTTP API's requests and the workflow's CloudWatch Logs. Apart from PRICES so that
 * the per-status figures' copy of their prices stays what it was; the order path's results copy these.
 */
export const ORDER_PATH_PRICES = {
  checked: "2026-12-07",
  stepFunctionsExpress: {
    usd_per_million_requests: 1.0,
    /**
     * $0.06000 per GB-hour, the first 1,000 GB-hours a month; duration rounded up to 100 ms, memory in 64-MB chunks.
     */
    usd_per_gb_second: 0.0000166667,
    source: "https://aws.amazon.com/step-functions/pricing/",
    note: "From copies of the page in the search corpus (aws.amazon.com/step-functions/pricing, its pricing example: $1.00 per million requests, $0.06000 per GB-hour for the first 1,000 GB-hours; 'rounded up to the nearest 100ms', 'billed in 64-MB chunks', memory = 50 MB + definition + data).",
  },
  apiGatewayHttp: {
    /** HTTP APIs, first 300 million requests a month, metered per 512 KB. */
    usd_per_million_requests: 1.0,
    source: "https://aws.amazon.com/api-gateway/pricing/",
    note: "The HTTP API list price as I know it (the corpus's copies of the page render the rate table without numbers).",
  },
  cloudWatchLogs: {
    /** Ingestion, Standard log class (Step Functions' logs are vended logs, the same first-tier price). */
    usd_per_gb_ingested: 0.5,
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    note: "The us-east-1 list price as I know it; storage ($0.03 per GB-month, compressed) left out.",
  },
} as const;

/** What `units` of each kind cost, in USD. */
export const usd = {
  writeUnits: (units: number, p: Prices = PRICES) => (units * p.dynamodb.usd_per_million_write_units) / 1e6,
  readUnits: (units: number, p: Prices = PRICES) => (units * p.dynamodb.usd_per_million_read_units) / 1e6,
  lambdaMs: (ms: number, memoryMB: number, p: Prices = PRICES) =>
    (ms / 1000) * (memoryMB / 1024) * p.lambda.usd_per_gb_second,
  lambdaRequests: (n: number, p: Prices = PRICES) => (n * p.lambda.usd_per_million_requests) / 1e6,
  messages: (n: number, p: Prices = PRICES) => (n * p.apiGatewayWebSocket.usd_per_million_messages) / 1e6,
  connectionMinutes: (n: number, p: Prices = PRICES) =>
    (n * p.apiGatewayWebSocket.usd_per_million_connection_minutes) / 1e6,
  events: (n: number, p: Prices = PRICES) => (n * p.eventBridge.usd_per_million_events) / 1e6,
  transitions: (n: number, p: Prices = PRICES) => (n * p.stepFunctions.usd_per_thousand_transitions) / 1e3,
  /** One Express execution: its request, and its billed duration at its billed memory. */
  expressExecution: (billedMs: number, billedMemoryMB: number, o = ORDER_PATH_PRICES) =>
    o.stepFunctionsExpress.usd_per_million_requests / 1e6 +
    (billedMs / 1000) * (billedMemoryMB / 1024) * o.stepFunctionsExpress.usd_per_gb_second,
  httpRequests: (n: number, o = ORDER_PATH_PRICES) => (n * o.apiGatewayHttp.usd_per_million_requests) / 1e6,
  logBytes: (bytes: number, o = ORDER_PATH_PRICES) => (bytes / 1024 ** 3) * o.cloudWatchLogs.usd_per_gb_ingested,
};

/**
 * The edge's prices (stacks/edge.ts), apart from PRICES: the benchmark measures nothing at the edge,
 * and its results copy PRICES as they were measured. Used by `npm run capacity` to price one client.
 */
export const EDGE_PRICES = {
  checked: "2026-12-06",
  waf: {
    usd_per_web_acl_month: 5,
    usd_per_rule_month: 1,
    /** Every request the web ACL inspects, allowed or blocked. */
    usd_per_million_requests: 0.6,
    source: "https://aws.amazon.com/waf/pricing/",
    note: "From AWS's blog 'Cost-effective ways for securing your web applications using AWS WAF' (pricing model) and third-party copies of the pricing page (c3x.dev, awsnegotiations.com, 2026): $5 per web ACL and $1 per rule a month, $0.60 per million requests; the same in every region.",
  },
  cloudFront: {
    /** HTTPS requests, United States and Europe; WebSocket upgrades and POSTs are billed as requests too. */
    usd_per_10k_https_requests: 0.01,
    /** Always-free tier per month, across the account's distributions. */
    free_requests_per_month: 10_000_000,
    source: "https://aws.amazon.com/cloudfront/pricing/",
    note: "From the pricing page's copy in the search corpus (data transfer $0.085/GB for the first 10 TB in the US; 10,000,000 requests a month free); the request rate of $0.0100 per 10,000 HTTPS requests is the US/Europe list price as I know it (the copy cut off before the request table). Data out is left out: a status frame is under 1 KB.",
  },
} as const;
