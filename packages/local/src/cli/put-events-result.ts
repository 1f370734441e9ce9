/**
 * Reads a PutEvents answer against the details of its request: EventBridge reports per-entry
 * failures in `Entries` (same order as the request) with `FailedEntryCount` > 0, not as an error.
 */
import type * as OrderStatus from "@awsomepets/core/status/event";

export type PutEventsOutputLike = {
  FailedEntryCount?: number;
  Entries?: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
};

export type PublishedEvent = { eventId: string; orderId: string; status: OrderStatus.Status };
export type FailedEvent = { orderId: string; status: OrderStatus.Status; errorCode: string; errorMessage: string };

export function readPutEventsResult(details: readonly OrderStatus.StatusRecord[], output: PutEventsOutputLike) {
  const published: PublishedEvent[] = [];
  const failed: FailedEvent[] = [];
  details.forEach((detail, index) => {
    const entry = output.Entries?.[index];
    if (entry?.EventId && !entry.ErrorCode) {
      published.push({ eventId: entry.EventId, orderId: detail.orderId, status: detail.status });
    } else {
      failed.push({
        orderId: detail.orderId,
        status: detail.status,
        errorCode: entry?.ErrorCode ?? "MissingResult",
        errorMessage: entry?.ErrorMessage ?? "EventBridge returned no result for this entry",
      });
    }
  });
  // A count above what the entries show still means failure: trust the larger of the two.
  const failedCount = Math.max(failed.length, output.FailedEntryCount ?? 0);
  return { published, failed, ok: failedCount === 0 };
}

export const publishedLine = (event: PublishedEvent) => `${event.eventId} ${event.orderId} ${event.status}`;
export const failedLine = (event: FailedEvent) =>
  `failed ${event.orderId} ${event.status}: ${event.errorCode} ${event.errorMessage}`;
