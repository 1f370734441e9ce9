/**
 * The edge in front of the APIs, as CloudFront with an AWS WAF web ACL of rate-based rules (per source
 * address, over a window, a custom response above the limit); `npm start` has no CloudFront, so this
 * stands in for it before the stage throttles. It blocks at the first request over a limit, where WAF
 * blocks with a lag: what it reproduces and where it differs, on purpose, is
 * docs/decisions/local-edge-blocks-at-once.md.
 */
import type { IncomingMessage } from "node:http";

/** The request as the edge sees it before anything behind it runs. */
export type EdgeRequest = { sourceIp: string; method: string; path: string; upgrade?: string };

export type EdgeRateRule = {
  name: string;
  limit: number;
  windowSeconds: number;
  /** Whether the rule counts (and may refuse) this request: WAF's scope-down statement. */
  matches: (request: EdgeRequest) => boolean;
};

export type EdgeVerdict = { allowed: true } | { allowed: false; rule: string };

/** Counts per one-second bucket of the window, for one (rule, address). */
class WindowCount {
  private readonly buckets: number[];
  private total = 0;
  private second: number;

  constructor(
    private readonly windowSeconds: number,
    now: number,
  ) {
    this.buckets = new Array(windowSeconds).fill(0);
    this.second = now;
  }

  /** Drops the seconds that fell out of the window by `now`. */
  private advance(now: number) {
    const elapsed = Math.min(now - this.second, this.windowSeconds);
    for (let i = 1; i <= elapsed; i++) {
      const slot = (this.second + i) % this.windowSeconds;
      this.total -= this.buckets[slot]!;
      this.buckets[slot] = 0;
    }
    if (now > this.second) this.second = now;
  }

  add(now: number) {
    this.advance(now);
    this.buckets[this.second % this.windowSeconds]! += 1;
    this.total += 1;
    return this.total;
  }

  idle(now: number) {
    this.advance(now);
    return this.total === 0;
  }
}

/**
 * `admit(request)`: counts the request in every rule it reaches and refuses it if one of them is over
 * its limit. Counts of addresses idle for a whole window are dropped, so memory follows the addresses
 * active in the last window, not every address ever seen.
 */
export function edgeRateLimiter(rules: readonly EdgeRateRule[], now: () => number = () => performance.now()) {
  const counts = new Map<string, WindowCount>();
  const longest = Math.max(0, ...rules.map((rule) => rule.windowSeconds));
  let sweptAt = 0;
  const sweep = (second: number) => {
    if (second - sweptAt < longest) return;
    sweptAt = second;
    for (const [key, count] of counts) if (count.idle(second)) counts.delete(key);
  };
  return (request: EdgeRequest): EdgeVerdict => {
    const second = Math.floor(now() / 1000);
    sweep(second);
    for (const rule of rules) {
      if (!rule.matches(request)) continue;
      const key = `${rule.name}\u0000${request.sourceIp}`;
      let count = counts.get(key);
      if (!count) {
        count = new WindowCount(rule.windowSeconds, second);
        counts.set(key, count);
      }
      if (count.add(second) > rule.limit) return { allowed: false, rule: rule.name };
    }
    return { allowed: true };
  };
}
export type EdgeAdmission = ReturnType<typeof edgeRateLimiter>;

/** The edge's refusal as the caller defines it (the web ACL's custom response). */
export type EdgeRefusal = {
  statusCode: number;
  contentType: string;
  body: string;
  headers: Readonly<Record<string, string>>;
};

/**
 * What the local servers take: who is let in, what a refused client is answered, and the headers the
 * edge adds to every request it lets in (CloudFront's origin custom headers: the proof, checked
 * behind it, that a request came through the edge).
 */
export type EdgeOptions = {
  admit: EdgeAdmission;
  refusal: EdgeRefusal;
  originHeaders?: Readonly<Record<string, string>>;
};

/**
 * Adds the edge's origin headers to an admitted request, replacing a viewer's header of the same name,
 * so the functions behind see exactly the edge's value. (Whether CloudFront replaces or appends to a
 * viewer's copy, a client that does not know the value gains nothing by sending one.) Both views of
 * the request change, `headers` (HTTP API events) and `rawHeaders` (WebSocket events keep the spelling).
 */
export function addOriginHeaders(request: IncomingMessage, headers: Readonly<Record<string, string>> | undefined) {
  if (!headers) return;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const raw: string[] = [];
    for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
      if (request.rawHeaders[index]!.toLowerCase() !== lower)
        raw.push(request.rawHeaders[index]!, request.rawHeaders[index + 1]!);
    }
    request.rawHeaders = [...raw, name, value];
    request.headers[lower] = value;
  }
}

/** IPv4 clients show up as `::ffff:127.0.0.1` on dual-stack sockets; WAF and API Gateway report the plain address. */
export function sourceIpOf(socket: { remoteAddress?: string | undefined }) {
  return (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
}
