/**
 * The "Order Status Changed" event and the one status model built on it: the contract between the
 * order workflow (producer) and the callback microservice (consumer). The EventBridge rule pattern,
 * the schema that validates a delivered event, the status record, the terminal set, the occurrence
 * order and the "current status" rule all live here, for the store, the projection, the timeline,
 * the commands and the page alike.
 *
 * Schemas use `zod/mini`: the same checks as classic zod at a twentieth of the bundle and import
 * cost, which every Lambda that parses an event pays at cold start.
 */
import * as z from "zod/mini";
import { STATUSES, type StatusRecord as ModelRecord } from "./model";

export const EVENT_SOURCE = "awsomepets.orders";
export const DETAIL_TYPE = "Order Status Changed";

export * from "./model";

/**
 * The longest `reason` a status event may carry. The consumer's schema refuses a longer one (the
 * event is then dropped as invalid), so the saga bounds the reasons it publishes to this
 * (`Saga.reasonOf`), and `publish-status` refuses a longer one through the same schema.
 */
export const REASON_MAX_LENGTH = 1024;

/**
 * Any RFC 3339 time with an offset (`Z`, `+02:00`) and any sub-second precision, stored normalised to
 * UTC with milliseconds (`2026-11-26T10:00:02.000Z`) so that times compare as strings.
 */
export const OccurredAt = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value: string) => new Date(value).toISOString()),
);

/** The schema of a status record: the event's `detail`, as a producer must write it. */
export const StatusRecord = z.strictObject({
  orderId: z.uuid(),
  status: z.enum(STATUSES),
  /** When the status happened (Step Functions' `$$.State.EnteredTime` for the saga's statuses). */
  occurredAt: OccurredAt,
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(REASON_MAX_LENGTH))),
  amountPaid: z.optional(z.number().check(z.nonnegative())),
});
/** A validated status record: `occurredAt` normalised. The model's type, which the schema must produce. */
export type StatusRecord = ModelRecord;
const sameShape: [z.output<typeof StatusRecord>, ModelRecord] extends [ModelRecord, z.output<typeof StatusRecord>]
  ? true
  : never = true;
void sameShape;
/** A status record as a producer may write it (any offset, any precision). */
export type StatusRecordInput = z.input<typeof StatusRecord>;

/** The part of an EventBridge event the targets read; the rest of the envelope is the platform's. */
export const Event = z.looseObject({
  id: z.optional(z.string()),
  source: z.literal(EVENT_SOURCE),
  "detail-type": z.literal(DETAIL_TYPE),
  detail: StatusRecord,
});
export type Event = z.output<typeof Event>;

/** Where a validation failed, as `path: code` items a log line can name. */
export const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; code: string }>) =>
  issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.code}`);

/** The rule's event pattern. The stack and the local EventBridge endpoint both use this object. */
export const eventPattern = {
  source: [EVENT_SOURCE],
  "detail-type": [DETAIL_TYPE],
} as const;

/** A `PutEvents` entry for a status change (the bus name is the caller's). */
export function toPutEventsEntry(detail: StatusRecordInput, eventBusName: string) {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPE,
    Detail: JSON.stringify(StatusRecord.parse(detail)),
  };
}
