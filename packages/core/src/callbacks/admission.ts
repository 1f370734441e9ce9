/**
 * The per-socket message limit as conditional writes on the order's item of `ClientCallbackTbl`
 * (CallbackStore.admitMessage): the arithmetic is ./rate-limit, the layout ./table.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { parseOrderItem, type OrderCallbacks } from "./item";
import * as CallbackTable from "./table";
import type { CallOptions } from "./store";
import { and, conditionInput, isConditionFailure } from "../platform/condition-expression";
import * as CallbackClauses from "./conditions";
import * as SyncRateLimit from "./rate-limit";

/** A client message as the connection's bucket judged it. */
export type MessageAdmission =
  | { kind: "admitted"; order: OrderCallbacks }
  | { kind: "limited"; tell: boolean }
  /** The connection holds no live subscription to this order. */
  | { kind: "not_subscribed" };

/** The table as the store holds it. */
export type AdmissionTable = { client: DynamoDBDocumentClient; tableName: string; now: () => Date };

/**
 * A message to admit. `held`: the connection's `$connect` was for this order (the authorizer's
 * context), so it may be there in the layout before even where the engine cannot say (firstWrite).
 */
export type AdmissionInput = { orderId: string; connectionId: string; rate: SyncRateLimit.SyncRate; held?: boolean };

/** Rounds of a message's first and second write when racing messages keep taking the room first. */
const MAX_ADMISSION_ROUNDS = 4;

/**
 * A message from a connection, judged by the connection's bucket (./rate-limit) in the order's item,
 * where every execution environment sees it. The first write is the one a `sync` makes anyway: it
 * marks the connection synced (proof the socket is open, see CallbackStore.removeGoneConnection) and
 * the order (`syncedSeq = lastSeq`: the statuses counted so far are no longer pending by derivation),
 * bumps `handovers` and returns the item as it was; its condition is the authorisation check too, as
 * only a connection `$connect` admitted for this order is in the item. An update cannot compute
 * max(TAT, now), so that write sets `idleTat = now + T` (the new TAT when the bucket was idle: an idle
 * message costs this one write) and `toldTat = burstTat` (a refusal is told once per streak); in a
 * burst a second conditional write charges TAT + T while TAT ≤ now + τ, in two forms (one per larger
 * part), so racers never take the same room twice (docs/protocol.md "Limits", docs/decisions/pending-by-count.md).
 */
export async function admitMessage(
  table: AdmissionTable,
  input: AdmissionInput,
  { signal }: CallOptions = {},
): Promise<MessageAdmission> {
  for (let round = 0; round < MAX_ADMISSION_ROUNDS; round++) {
    const nowMs = table.now().getTime();
    const first = await firstWrite(table, input, nowMs, signal);
    if (!first) return { kind: "not_subscribed" };
    const order = parseOrderItem(input.orderId, first.before, CallbackTable.epochSeconds(table.now()));
    const bucket = order.connections.find((c) => c.connectionId === input.connectionId)?.bucket ?? {};
    const state = SyncRateLimit.classify(bucket, input.rate, nowMs);
    if (state.kind === "limited") return state;
    if (state.kind === "idle" || (await chargeBurst(table, input, first.layout, nowMs, bucket, signal))) {
      return { kind: "admitted", order: { ...order, handovers: order.handovers + 1 } };
    }
    // Racing messages took the room between our two writes: look again.
  }
  return { kind: "limited", tell: false };
}

/** Where the connection is: its attribute and field names, in the layout that wrote it (./table). */
type ConnectionLayout = { attribute: string; fields: CallbackTable.ConnectionFields; legacy: boolean };

const layoutOf = (connectionId: string, legacy: boolean): ConnectionLayout =>
  legacy
    ? {
        attribute: CallbackTable.legacyConnectionAttribute(connectionId),
        fields: CallbackTable.LEGACY_CONNECTION_FIELDS,
        legacy,
      }
    : { attribute: CallbackTable.connectionAttribute(connectionId), fields: CallbackTable.CONNECTION_FIELDS, legacy };

/** Expression names for a connection's fields, so that one expression serves both layouts. */
const fieldNames = (layout: ConnectionLayout) => ({
  "#conn": layout.attribute,
  "#c": layout.fields.connectedAt,
  "#s": layout.fields.syncedAt,
  "#i": layout.fields.idleTat,
  "#b": layout.fields.burstTat,
  "#t": layout.fields.toldTat,
});

/**
 * A message's first write (above), in the connection's layout; undefined when no layout holds it live.
 * Today's layout first. The layout before (`conn#<id>`, a deploy mid-order) is tried only when the
 * failed write's old item (ReturnValuesOnConditionCheckFailure) shows `conn#<id>`, so a message naming
 * an order the socket is not on costs that order one failed write. dynalite (v4.0.0) returns no item
 * on a failed condition: there, and for an order with no item at all, the layout before is tried only
 * for the order the connection's `$connect` was for (`held`), the one order it can be on.
 * REMOVE the layout before (here, LEGACY_* in ./table, its tests) after 2027-01-15: every
 * `conn#` socket is gone CONNECTION_TTL_SECONDS (2 h 15 min) after the deploy of the short names; an
 * old item may stay until HISTORY_RETENTION, but only its sockets need this fallback.
 */
async function firstWrite(
  table: AdmissionTable,
  input: AdmissionInput,
  nowMs: number,
  signal: AbortSignal | undefined,
) {
  const nowSeconds = CallbackTable.epochSeconds(table.now());
  for (const legacy of [false, true]) {
    const layout = layoutOf(input.connectionId, legacy);
    // Live: connected less than its TTL ago (the layout before kept the expiry itself).
    const live = legacy
      ? CallbackClauses.legacyConnectionUnexpired(layout, nowSeconds)
      : CallbackClauses.connectedAfter(layout, nowMs - CallbackTable.CONNECTION_TTL_SECONDS * 1000);
    const condition = and(CallbackClauses.connectionPresent(layout), live, CallbackClauses.expiryAhead(nowSeconds));
    // DynamoDB refuses a name the expressions do not use: #c comes with the condition that uses it.
    const { "#c": _connectedAt, ...names } = fieldNames(layout);
    try {
      const { Attributes: before } = await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: CallbackTable.orderKey(input.orderId),
          UpdateExpression:
            "SET #conn.#s = :now, syncedSeq = if_not_exists(lastSeq, :zero), #conn.#i = :idleTat, #conn.#t = if_not_exists(#conn.#b, :zero) ADD handovers :one",
          ...conditionInput(condition, {
            names,
            values: { ":now": nowMs, ":idleTat": nowMs + SyncRateLimit.intervalMs(input.rate), ":zero": 0, ":one": 1 },
          }),
          ReturnValues: "ALL_OLD",
          ...(legacy ? {} : { ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const }),
        }),
        { abortSignal: signal },
      );
      return { before, layout };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (legacy || !mayHoldTheLayoutBefore(error, input)) return undefined;
    }
  }
  return undefined;
}

/** Whether a failed first write in today's layout leaves the layout before worth a try (firstWrite). */
function mayHoldTheLayoutBefore(failure: unknown, input: AdmissionInput) {
  // The SDK hands the old item over as sent, in DynamoDB's attribute-value form: only its names matter here.
  const item = (failure as { Item?: Record<string, unknown> }).Item;
  return item ? CallbackTable.legacyConnectionAttribute(input.connectionId) in item : input.held === true;
}

/**
 * The second write of a message in a burst: TAT + T where TAT = max(burstTat, idleTat), only while
 * TAT ≤ now + τ. Tries the form for the part that was the larger, then the other. False: no room.
 */
async function chargeBurst(
  table: AdmissionTable,
  input: AdmissionInput,
  layout: ConnectionLayout,
  nowMs: number,
  before: SyncRateLimit.StoredBucket,
  signal: AbortSignal | undefined,
) {
  const admitUpTo = SyncRateLimit.admitUpTo(input.rate, nowMs);
  const forms = [
    // burstTat is the larger part (or equal).
    {
      update: "SET #conn.#b = #conn.#b + :interval",
      condition: CallbackClauses.burstTatRoom(layout, admitUpTo),
    },
    // idleTat is the larger part (burstTat absent or smaller).
    {
      update: "SET #conn.#b = #conn.#i + :interval",
      condition: CallbackClauses.idleTatRoom(layout, admitUpTo),
    },
  ];
  const { "#conn": conn, "#b": b, "#i": i } = fieldNames(layout);
  const interval = SyncRateLimit.intervalMs(input.rate);
  // Our first write set idleTat to now + T: burstTat is the larger part only if it was past that.
  if ((before.burstTat ?? -Infinity) < nowMs + interval) forms.reverse();
  for (const form of forms) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: CallbackTable.orderKey(input.orderId),
          UpdateExpression: form.update,
          ...conditionInput(form.condition, {
            names: { "#conn": conn, "#b": b, "#i": i },
            values: { ":interval": interval },
          }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return false;
}
