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

export class DeadLetterLog {
  readonly #entries: DeadLetter[] = [];

  append(entry: DeadLetter): void {
    this.#entries.push(entry);
  }

  /** A copy, oldest first. */
  list(): DeadLetter[] {
    return [...this.#entries];
  }
}
