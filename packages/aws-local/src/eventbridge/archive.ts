/**
 * EventBridge archives, in memory and bounded: each archive keeps the accepted events of its bus
 * that match its pattern (oldest dropped first past `maxEvents`). Replayed events are not archived
 * again, as on AWS.
 */
import type { EventBridgeEvent } from "./event-envelope";
import { compilePattern, type EventMatcher } from "./pattern";

export interface ArchiveConfig {
  name: string;
  busName: string;
  /** An event pattern; without one every event of the bus is kept. */
  pattern?: object;
}

export interface ArchivedEvent {
  event: EventBridgeEvent;
  /** When PutEvents accepted it: what a replay's start and end times select on. */
  receivedAt: Date;
}

/** Kept per archive by default; a long run's memory stays bounded. */
export const DEFAULT_MAX_ARCHIVED_EVENTS = 10_000;

export class EventArchive {
  readonly #events: ArchivedEvent[] = [];
  readonly #matches: EventMatcher;

  constructor(
    readonly config: ArchiveConfig,
    private readonly maxEvents = DEFAULT_MAX_ARCHIVED_EVENTS,
  ) {
    try {
      this.#matches = config.pattern ? compilePattern(config.pattern) : () => true;
    } catch (error) {
      throw new Error(`Archive ${config.name} has an invalid pattern: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Keeps the event if it is on this archive's bus and matches its pattern. */
  offer(busName: string, event: EventBridgeEvent, receivedAt: Date): void {
    if (busName !== this.config.busName || "replay-name" in event || !this.#matches(event)) return;
    this.#events.push({ event: structuredClone(event), receivedAt });
    if (this.#events.length > this.maxEvents) this.#events.splice(0, this.#events.length - this.maxEvents);
  }

  /** Events received in [start, end), oldest first. */
  between(start: Date, end: Date): ArchivedEvent[] {
    return this.#events.filter(({ receivedAt }) => receivedAt >= start && receivedAt < end);
  }
}
