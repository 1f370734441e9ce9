/** Rules of the local endpoint: which targets an event on a bus goes to, and how they are retried. */
import type { EventBridgeEvent } from "./event-envelope";
import { DEFAULT_BUS } from "./event-bus-name";
import { compilePattern, type EventMatcher } from "./pattern";

export interface RetryPolicy {
  /** Retries after the first attempt (AWS allows 0–185). */
  retryAttempts: number;
  /** Give up once the event has waited this long since PutEvents (AWS allows 60–86400). */
  maximumEventAgeSeconds: number;
}

export interface EventRule {
  name: string;
  busName: string;
  pattern: object;
  /** Rejecting (or throwing) counts as a failed delivery and is retried. */
  target: (event: EventBridgeEvent) => Promise<unknown>;
  retryPolicy: RetryPolicy;
}

export type RouteEvent = (busName: string, event: EventBridgeEvent) => EventRule[];

/** Validates every rule up front (so a broken pattern fails at start, not on the first event) and builds the router. */
export function compileRules(rules: readonly EventRule[], buses: Iterable<string>): RouteEvent {
  const knownBuses = new Set([DEFAULT_BUS, ...buses]);
  const names = new Set<string>();
  const compiled = rules.map((rule): { rule: EventRule; matches: EventMatcher } => {
    if (names.has(rule.name)) throw new Error(`Rule ${rule.name} is defined twice`);
    names.add(rule.name);
    if (!knownBuses.has(rule.busName))
      throw new Error(`Rule ${rule.name} is on bus ${rule.busName}, which is not among the buses`);
    const { retryAttempts, maximumEventAgeSeconds } = rule.retryPolicy;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0)
      throw new Error(`Rule ${rule.name}: retryAttempts must be a whole number ≥ 0`);
    if (!(maximumEventAgeSeconds > 0)) throw new Error(`Rule ${rule.name}: maximumEventAgeSeconds must be > 0`);
    try {
      return { rule, matches: compilePattern(rule.pattern) };
    } catch (error) {
      throw new Error(`Rule ${rule.name} has an invalid pattern: ${(error as Error).message}`, { cause: error });
    }
  });
  return (busName, event) => compiled.filter((c) => c.rule.busName === busName && c.matches(event)).map((c) => c.rule);
}
