/**
 * Delivers matched events to rule targets the way EventBridge does, decoupled from PutEvents: a
 * first attempt right away, then up to `retryAttempts` retries with backoff, unless the event would
 * be older than `maximumEventAgeSeconds`; what gives up lands in the dead-letter log.
 *
 * Every delivery, waiting or running, counts as in flight until it succeeds, gives up or is
 * cancelled, so `idle()` tells tests when all consequences of a PutEvents have played out.
 *
 * With a journal, each delivery is written down when it is queued (before PutEvents answers) and
 * removed once it succeeds or gives up; one cancelled by close() or lost in a crash is still there
 * at the next start and is sent again (at least once, as on AWS).
 */
import { DeadLetterLog, type GiveUpReason } from "./dead-letters";
import { errorMessage, eventFields, type Log } from "./delivery-log";
import type { EventBridgeEvent } from "./event-envelope";
import { retryDelayMs } from "./retry-delay";
import type { EventRule } from "./rules";
import type { Journal } from "../journal";

/** What the journal keeps of a queued delivery. */
export interface JournalDelivery {
  ruleName: string;
  event: EventBridgeEvent;
  receivedAt: string;
  attempts: number;
}

export interface DeliveryQueueOptions {
  log: Log;
  retryBaseDelayMs: number;
  now: () => Date;
  random?: () => number;
  journal?: Journal<JournalDelivery>;
  maxDeadLetters?: number;
}

interface Delivery {
  rule: EventRule;
  event: EventBridgeEvent;
  receivedAtMs: number;
  attempts: number;
}

export class DeliveryQueue {
  readonly deadLetters: DeadLetterLog;
  readonly #options: DeliveryQueueOptions;
  readonly #waiting = new Map<NodeJS.Timeout, Delivery>();
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #closed = false;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
    this.deadLetters = new DeadLetterLog(options.maxDeadLetters);
  }

  /**
   * Queues the first attempt (or, for a delivery from the journal, the next one); it runs on a later tick, never inside
   * the caller.
   */
  deliver(rule: EventRule, event: EventBridgeEvent, receivedAt: Date, attempts = 0): void {
    if (this.#closed) return;
    this.#inFlight++;
    const delivery = { rule, event, receivedAtMs: receivedAt.getTime(), attempts };
    this.#options.journal?.put(journalId(delivery), {
      ruleName: rule.name,
      event,
      receivedAt: receivedAt.toISOString(),
      attempts,
    });
    this.#schedule(delivery, 0);
  }

  /** Deliveries running or waiting for a retry. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once no delivery is running or waiting for a retry. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Drops every waiting retry and accepts nothing new. An attempt already running is left to finish, but not retried.
   */
  close(): void {
    this.#closed = true;
    for (const [timer, delivery] of this.#waiting) {
      clearTimeout(timer);
      this.#options.log({
        level: "warn",
        message: "eventbridge.cancelled",
        rule: delivery.rule.name,
        attempts: delivery.attempts,
        ...eventFields(delivery.event),
      });
      this.#finish(); // still in the journal: sent again at the next start
    }
    this.#waiting.clear();
  }

  #schedule(delivery: Delivery, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#waiting.delete(timer);
      void this.#attempt(delivery);
    }, delayMs);
    this.#waiting.set(timer, delivery);
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const { rule, event } = delivery;
    const { log } = this.#options;
    delivery.attempts++;
    const fields = { rule: rule.name, attempt: delivery.attempts, ...eventFields(event) };
    try {
      // A copy per attempt: a target that mutates its event must not change what a retry or another rule sees.
      await rule.target(structuredClone(event));
      log({ level: "info", message: "eventbridge.delivery", outcome: "succeeded", ...fields });
      this.#options.journal?.remove(journalId(delivery));
      this.#finish();
    } catch (error) {
      log({ level: "warn", message: "eventbridge.delivery", outcome: "failed", error: errorMessage(error), ...fields });
      this.#retryOrGiveUp(delivery, error);
    }
  }

  #retryOrGiveUp(delivery: Delivery, error: unknown): void {
    const { rule, event } = delivery;
    const { log, now, retryBaseDelayMs, random } = this.#options;
    if (this.#closed) {
      this.#finish();
      return;
    }
    const retriesDone = delivery.attempts - 1;
    if (retriesDone >= rule.retryPolicy.retryAttempts) {
      this.#giveUp(delivery, error, "RetryAttemptsExhausted");
      return;
    }

    const delayMs = retryDelayMs(retriesDone + 1, retryBaseDelayMs, random);
    const ageAtRetryMs = now().getTime() + delayMs - delivery.receivedAtMs;
    if (ageAtRetryMs > rule.retryPolicy.maximumEventAgeSeconds * 1000) {
      this.#giveUp(delivery, error, "MaximumEventAgeExceeded");
      return;
    }

    log({
      level: "warn",
      message: "eventbridge.retry",
      rule: rule.name,
      nextAttempt: delivery.attempts + 1,
      delayMs,
      error: errorMessage(error),
      ...eventFields(event),
    });
    this.#schedule(delivery, delayMs);
  }

  #giveUp(delivery: Delivery, error: unknown, reason: GiveUpReason): void {
    const { rule, event, attempts } = delivery;
    const lastError = errorMessage(error);
    this.deadLetters.append({
      ruleName: rule.name,
      event,
      attempts,
      lastError,
      reason,
      failedAt: this.#options.now().toISOString(),
    });
    this.#options.log({
      level: "error",
      message: "eventbridge.dead-letter",
      rule: rule.name,
      attempts,
      reason,
      error: lastError,
      ...eventFields(event),
    });
    this.#options.journal?.remove(journalId(delivery));
    this.#finish();
  }

  #finish(): void {
    this.#inFlight--;
    if (this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const journalId = (delivery: Pick<Delivery, "rule" | "event">) => journalKey(delivery.event, delivery.rule.name);

/** A replayed event keeps its id (as on AWS): its replay's name keeps its delivery apart from the original's. */
export function journalKey(event: EventBridgeEvent, ruleName: string): string {
  const replay = (event as { "replay-name"?: unknown })["replay-name"];
  return typeof replay === "string" ? `${event.id}/${replay}/${ruleName}` : `${event.id}/${ruleName}`;
}
