/** The structured log records of the endpoint, one per match, delivery attempt, retry and dead letter. */
import type { EventBridgeEvent } from "./event-envelope";

export type LogLine = Record<string, unknown>;
export type Log = (line: LogLine) => void;

/** Fields every record about one event carries; `orderId` lets a developer follow one order. */
export function eventFields(event: EventBridgeEvent): LogLine {
  const orderId = event.detail.orderId;
  return {
    eventId: event.id,
    source: event.source,
    detailType: event["detail-type"],
    ...(typeof orderId === "string" ? { orderId } : {}),
  };
}

/** A log callback that throws must not break delivery bookkeeping. */
export function safeLog(log: Log): Log {
  return (line) => {
    try {
      log(line);
    } catch {
      // Losing a log line is better than leaving a delivery counted as in flight forever.
    }
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
