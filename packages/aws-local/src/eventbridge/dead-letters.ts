/** Events a rule gave up on, kept in memory so a developer (or a test) can look at them. */
import type { EventBridgeEvent } from "./event-envelope";

export type GiveUpReason = "RetryAttemptsExhausted" | "MaximumEventAgeExceeded";

export interface DeadLetter {
  ruleName: string;
  event: EventBridgeEvent;
  attempts: number;
  /** Message of the last failure. */
  lastError: string;
  reason: GiveUpReason;
  /** ISO-8601 time of giving up. */
  failedAt: string;
}

/** Kept by default; past it the oldest are dropped, so a long run's memory stays bounded. */
export const DEFAULT_MAX_DEAD_LETTERS = 1000;

export class DeadLetterLog {
  readonly #entries: DeadLetter[] = [];

  constructor(private readonly max = DEFAULT_MAX_DEAD_LETTERS) {}

  append(entry: DeadLetter): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.max) this.#entries.splice(0, this.#entries.length - this.max);
  }

  /** Removes and returns every entry, oldest first (to send them again). */
  takeAll(): DeadLetter[] {
    return this.#entries.splice(0, this.#entries.length);
  }

  /** A copy, oldest first. */
  list(): DeadLetter[] {
    return [...this.#entries];
  }
}
