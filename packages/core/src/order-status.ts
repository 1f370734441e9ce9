/**
 * The "Order Status Changed" event and the one status model built on it: the contract between the
 * order workflow (producer) and the callback microservice (consumer). The EventBridge rule pattern,
 * the schema that validates a delivered event, the history entry, the terminal set, the occurrence
 * order and the "current status" rule all live here, for the store, the projection, the timeline,
 * the commands and the page alike.
 *
 * Schemas use `zod/mini`: the same checks as classic zod at a twentieth of the bundle and import
 * cost, which every Lambda that parses an event pays at cold start.
 */
import * as z from "zod/mini";

export const EVENT_SOURCE = "awsomepets.orders";
export const DETAIL_TYPE = "Order Status Changed";

export const STATUSES = [
  "placed",
  "reserved",
  "paid",
  "completed",
  "released",
  "refunded",
  "cancelled",
] as const;
export type Status = (typeof STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(["completed", "cancelled"]);
export const isTerminal = (status: Status) => TERMINAL_STATUSES.has(status);

/**
 * Where a status stands in the saga, whichever path it takes (placed → reserved → paid → completed;
 * … → paid → refunded → released → cancelled; … → reserved → released → cancelled; placed →
 * cancelled): a later step always has a higher rank. The current status of an order is the highest
 * ranked one it has — no clock involved, so a forged or skewed `occurredAt` cannot pin an order.
 */
const RANK: Record<Status, number> = { placed: 0, reserved: 1, paid: 2, refunded: 3, released: 4, completed: 5, cancelled: 5 };

export function currentStatus(statuses: Iterable<Status>): Status | undefined {
  let current: Status | undefined;
  for (const status of statuses) if (current === undefined || RANK[status] > RANK[current]) current = status;
  return current;
}

/**
 * Any RFC 3339 time with an offset (`Z`, `+02:00`) and any sub-second precision, stored normalised to
 * UTC with milliseconds (`2026-11-26T10:00:02.000Z`) so that times compare as strings.
 */
export const OccurredAt = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value: string) => new Date(value).toISOString()),
);

export const Detail = z.strictObject({
  orderId: z.uuid(),
  status: z.enum(STATUSES),
  /** When the status happened (Step Functions' `$$.State.EnteredTime` for the saga's statuses). */
  occurredAt: OccurredAt,
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  amountPaid: z.optional(z.number().check(z.nonnegative())),
});
/** A validated detail: `occurredAt` normalised. */
export type Detail = z.output<typeof Detail>;
/** A detail as a producer may write it (any offset, any precision). */
export type DetailInput = z.input<typeof Detail>;

/** The part of an EventBridge event the targets read; the rest of the envelope is the platform's. */
export const Event = z.looseObject({
  id: z.optional(z.string()),
  source: z.literal(EVENT_SOURCE),
  "detail-type": z.literal(DETAIL_TYPE),
  detail: Detail,
});
export type Event = z.output<typeof Event>;

/** A status as the history keeps it: the first detail received for it, and its seq in the order. */
export type Entry = Detail & { seq: number };

/**
 * Occurrence order: by `occurredAt` (normalised, so a string comparison is a time comparison), then
 * by seq, so that the order is total and the same for every reader.
 */
export const byOccurrence = (a: Pick<Entry, "occurredAt" | "seq">, b: Pick<Entry, "occurredAt" | "seq">) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq;

/** Where a validation failed, as `path: code` items a log line can name. */
export const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; code: string }>) =>
  issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.code}`);

/** The rule's event pattern. The stack and the local EventBridge endpoint both use this object. */
export const eventPattern = {
  source: [EVENT_SOURCE],
  "detail-type": [DETAIL_TYPE],
} as const;

/** A `PutEvents` entry for a status change (the bus name is the caller's). */
export function toPutEventsEntry(detail: DetailInput, eventBusName: string) {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPE,
    Detail: JSON.stringify(Detail.parse(detail)),
  };
}
