/**
 * `PutEvents` without the transport: validates a decoded AWS JSON 1.1 request body the way
 * EventBridge does and turns each valid entry into the event rules will see.
 *
 * Request-level problems (no/too many entries, oversized request, wrong JSON types) throw
 * PutEventsRequestError; problems of one entry become that entry's `ErrorCode`/`ErrorMessage` and
 * count into `FailedEntryCount`, while the other entries are still accepted.
 *
 * Deliberate difference: real EventBridge accepts entries for a bus that does not exist and drops
 * them silently (aws/aws-cli#9186); locally such an entry fails with `InvalidArgument` so a misspelt
 * bus name shows up at once.
 */
import { randomUUID } from "node:crypto";
import { formatEventTime, type EventBridgeEvent } from "./event-envelope";
import { DEFAULT_BUS, resolveBusName } from "./event-bus-name";
import { isPlainObject } from "./pattern-leaf";

export const MAX_ENTRIES = 10;
/** The service model's limit on DetailType. */
export const MAX_DETAIL_TYPE_LENGTH = 128;
/**
 * Nesting depth past which a Detail is refused as malformed. AWS documents no number; this one is far
 * beyond any real event and far below what would overflow the stack when the event is serialized.
 */
export const MAX_DETAIL_DEPTH = 64;
/** The documented limit on the summed entry sizes of one request. */
export const MAX_REQUEST_ENTRY_BYTES = 256 * 1024;

export type RequestErrorType = "ValidationException" | "SerializationException";

/** The request as a whole is rejected (HTTP 400 with this `__type`). */
export class PutEventsRequestError extends Error {
  override readonly name = "PutEventsRequestError";

  constructor(
    readonly type: RequestErrorType,
    message: string,
  ) {
    super(message);
  }
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export interface AcceptedEvent {
  busName: string;
  event: EventBridgeEvent;
}

export interface PutEventsContext {
  /** Names of the buses that exist besides `default`, which always does. */
  buses: Iterable<string>;
  account: string;
  region: string;
  now: () => Date;
  newEventId?: () => string;
}

interface RequestEntry {
  Time?: number | string;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

type EntryOutcome = { ok: true; accepted: AcceptedEvent } | { ok: false; code: string; message: string };

export function handlePutEvents(
  body: unknown,
  ctx: PutEventsContext,
): { response: PutEventsResponse; accepted: AcceptedEvent[] } {
  const entries = readEntries(body);
  const buses = new Set([DEFAULT_BUS, ...ctx.buses]);
  const receivedAt = ctx.now();
  const newEventId = ctx.newEventId ?? randomUUID;

  const accepted: AcceptedEvent[] = [];
  const results = entries.map((entry): PutEventsResultEntry => {
    const outcome = toEvent(entry, { ...ctx, buses, receivedAt, newEventId });
    if (!outcome.ok) return { ErrorCode: outcome.code, ErrorMessage: outcome.message };
    accepted.push(outcome.accepted);
    return { EventId: outcome.accepted.event.id };
  });
  const failed = results.filter((result) => "ErrorCode" in result).length;
  return { response: { FailedEntryCount: failed, Entries: results }, accepted };
}

/** Request-level checks, in the order and wording of the AWS API's validation errors. */
function readEntries(body: unknown): RequestEntry[] {
  if (!isPlainObject(body))
    throw new PutEventsRequestError("SerializationException", "The request body must be a JSON object.");
  const entries = body.Entries;
  if (entries === undefined || entries === null) {
    throw new PutEventsRequestError(
      "ValidationException",
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(entries)) throw new PutEventsRequestError("SerializationException", "Entries must be a list.");
  if (entries.length < 1) {
    throw new PutEventsRequestError(
      "ValidationException",
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new PutEventsRequestError(
      "ValidationException",
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  const typed = entries.map(checkEntryTypes);
  typed.forEach((entry, index) => {
    if (entry.DetailType !== undefined && entry.DetailType.length > MAX_DETAIL_TYPE_LENGTH) {
      throw new PutEventsRequestError(
        "ValidationException",
        `1 validation error detected: Value at 'entries.${index + 1}.member.detailType' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DETAIL_TYPE_LENGTH}`,
      );
    }
  });
  const size = typed.reduce((total, entry) => total + entrySize(entry), 0);
  if (size > MAX_REQUEST_ENTRY_BYTES) {
    throw new PutEventsRequestError(
      "ValidationException",
      "Total size of the entries in the request is over the limit.",
    );
  }
  return typed;
}

/** Wrong JSON types are a serialization error of the whole request, as with the AWS JSON protocol. */
function checkEntryTypes(entry: unknown, index: number): RequestEntry {
  const fail = (what: string) => new PutEventsRequestError("SerializationException", `Entries[${index}]${what}`);
  if (!isPlainObject(entry)) throw fail(" must be a JSON object.");
  for (const field of ["Source", "DetailType", "Detail", "EventBusName", "TraceHeader"]) {
    if (entry[field] !== undefined && entry[field] !== null && typeof entry[field] !== "string")
      throw fail(`.${field} must be a string.`);
  }
  const time = entry.Time;
  if (time !== undefined && time !== null && typeof time !== "number" && typeof time !== "string")
    throw fail(".Time must be a timestamp.");
  const resources = entry.Resources;
  if (
    resources !== undefined &&
    resources !== null &&
    !(Array.isArray(resources) && resources.every((r) => typeof r === "string"))
  ) {
    throw fail(".Resources must be a list of strings.");
  }
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== null)) as RequestEntry;
}

/** Entry size as the user guide's "Calculating PutEvents event entry size" defines it. */
function entrySize(entry: RequestEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, "utf8"));
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

function toEvent(
  entry: RequestEntry,
  ctx: { buses: Set<string>; account: string; region: string; receivedAt: Date; newEventId: () => string },
): EntryOutcome {
  const invalid = (message: string): EntryOutcome => ({ ok: false, code: "InvalidArgument", message });
  for (const field of ["Source", "DetailType", "Detail"] as const) {
    if (!entry[field]) return invalid(`Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
  }
  // Sources starting with `aws.` belong to AWS services; accounts cannot put events with them.
  if (entry.Source!.startsWith("aws."))
    return { ok: false, code: "NotAuthorizedForSourceException", message: "Not authorized for the source." };
  const detail = parseDetail(entry.Detail!);
  if (detail === undefined) return { ok: false, code: "MalformedDetail", message: "Detail is malformed." };
  const time = entry.Time === undefined ? ctx.receivedAt : parseTime(entry.Time);
  if (time === undefined) return invalid("Parameter Time is not valid. Reason: Time must be a timestamp.");
  const busName = resolveBusName(entry.EventBusName);
  if (!ctx.buses.has(busName)) return invalid(`Event bus ${busName} does not exist.`);

  const event: EventBridgeEvent = {
    version: "0",
    id: ctx.newEventId(),
    "detail-type": entry.DetailType!,
    source: entry.Source!,
    account: ctx.account,
    time: formatEventTime(time),
    region: ctx.region,
    resources: entry.Resources ?? [],
    detail,
  };
  return { ok: true, accepted: { busName, event } };
}

/** Detail must be a JSON object; arrays, scalars and broken JSON are all "malformed". */
function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) && depthWithin(parsed, MAX_DETAIL_DEPTH) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `value` nests no deeper than `limit` (checked without recursion: the input may be hostile). */
function depthWithin(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) return false;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return true;
}

/** The SDK and the CLI send epoch seconds (JSON 1.1 timestamps); ISO strings are accepted too. */
function parseTime(time: number | string): Date | undefined {
  const date = typeof time === "number" || /^\d+(\.\d+)?$/.test(time) ? new Date(Number(time) * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
