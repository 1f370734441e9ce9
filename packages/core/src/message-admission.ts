/**
 * The per-socket message limit as conditional writes on the order's item of `ClientCallbackTbl`
 * (CallbackStore.admitMessage): the arithmetic is ./sync-rate-limit, the layout ./callback-table.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { parseOrderItem, type OrderCallbacks } from "./callback-item";
import * as Table from "./callback-table";
import type { CallOptions } from "./callback-store";
import { isConditionFailure } from "./dynamodb-conditions";
import * as Bucket from "./sync-rate-limit";

/** A client message as the connection's bucket judged it. */
export type MessageAdmission =
  | { kind: "admitted"; order: OrderCallbacks }
  | { kind: "limited"; tell: boolean }
  /** The connection holds no live subscription to this order. */
  | { kind: "not_subscribed" };

/** The table as the store holds it. */
export type AdmissionTable = { client: DynamoDBDocumentClient; tableName: string; now: () => Date };

/** Rounds of a message's first and second write when racing messages keep taking the room first. */
const MAX_ADMISSION_ROUNDS = 4;

/**
 * A message from a connection, judged by the connection's bucket (./sync-rate-limit) in the order's
 * item, where every execution environment sees it. The first write is the one a `sync` makes anyway:
 * it marks the connection synced (proof the socket is open, see CallbackStore.removeGoneConnection) and
 * the order (`syncedSeq = lastSeq`: the statuses counted so far are on their way to a client,
 * so no longer pending by derivation — a `sync` whose posts fail marks what it could not deliver; a
 * refused message moves it too, but comes only right after admitted ones on a subscribed socket, so
 * every status recorded in between had a listener), bumps `handovers`, and
 * returns the item as it was — its condition is also the authorisation check, since
 * only a connection `$connect` admitted for this order is in the item. It also moves the bucket, in a
 * way that is right whatever the bucket held, because an update cannot compute max(TAT, now):
 *   - `idleTat = now + T`: exactly the new TAT if the bucket was idle (TAT ≤ now), so an idle message —
 *     the common case — is admitted by this one write; otherwise it changes nothing that matters:
 *     a refused message's TAT is past now + T already (burst ≥ 2), and a message in a burst is
 *     charged by the second write, from the larger of the two parts;
 *   - `toldTat = burstTat`: a refused message is told iff no earlier message saw this `burstTat`,
 *     i.e. once per streak, and a refusal costs this one write.
 * In a burst (now < TAT ≤ now + τ) a second conditional write charges the bucket: TAT + T, only while
 * TAT ≤ now + τ. Two forms, one per part being the larger (conditions can compare two attributes,
 * and `SET a = b + :T` can read one), so racing environments never take the same room twice.
 */
export async function admitMessage(
  table: AdmissionTable,
  input: { orderId: string; connectionId: string; rate: Bucket.SyncRate },
  { signal }: CallOptions = {},
): Promise<MessageAdmission> {
  const names = { "#conn": Table.connectionAttribute(input.connectionId) };
  for (let round = 0; round < MAX_ADMISSION_ROUNDS; round++) {
    const nowMs = table.now().getTime();
    let before: Record<string, unknown> | undefined;
    try {
      ({ Attributes: before } = await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: Table.orderKey(input.orderId),
          UpdateExpression:
            "SET #conn.syncedAt = :now, syncedSeq = if_not_exists(lastSeq, :zero), #conn.idleTat = :idleTat, #conn.toldTat = if_not_exists(#conn.burstTat, :zero) ADD handovers :one",
          ConditionExpression: "attribute_exists(#conn) AND #conn.#ttl > :nowSeconds AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { ...names, "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ":now": nowMs,
            ":idleTat": nowMs + Bucket.intervalMs(input.rate),
            ":zero": 0,
            ":one": 1,
            ":nowSeconds": Table.epochSeconds(table.now()),
          },
          ReturnValues: "ALL_OLD",
        }),
        { abortSignal: signal },
      ));
    } catch (error) {
      if (isConditionFailure(error)) return { kind: "not_subscribed" };
      throw error;
    }
    const order = parseOrderItem(input.orderId, before, Table.epochSeconds(table.now()));
    const bucket = order.connections.find((c) => c.connectionId === input.connectionId)?.bucket ?? {};
    const state = Bucket.classify(bucket, input.rate, nowMs);
    if (state.kind === "limited") return state;
    if (state.kind === "idle" || (await chargeBurst(table, input, nowMs, bucket, signal))) {
      return { kind: "admitted", order: { ...order, handovers: order.handovers + 1 } };
    }
    // Racing messages took the room between our two writes: look again.
  }
  return { kind: "limited", tell: false };
}

/**
 * The second write of a message in a burst: TAT + T where TAT = max(burstTat, idleTat), only while
 * TAT ≤ now + τ. Tries the form for the part that was the larger, then the other. False: no room.
 */
async function chargeBurst(
  table: AdmissionTable,
  input: { orderId: string; connectionId: string; rate: Bucket.SyncRate },
  nowMs: number,
  before: Bucket.StoredBucket,
  signal: AbortSignal | undefined,
) {
  const forms = [
    // burstTat is the larger part (or equal).
    {
      update: "SET #conn.burstTat = #conn.burstTat + :interval",
      condition: "attribute_exists(#conn) AND #conn.burstTat >= #conn.idleTat AND #conn.burstTat <= :admitUpTo",
    },
    // idleTat is the larger part (burstTat absent or smaller).
    {
      update: "SET #conn.burstTat = #conn.idleTat + :interval",
      condition:
        "attribute_exists(#conn) AND (attribute_not_exists(#conn.burstTat) OR #conn.burstTat < #conn.idleTat) AND #conn.idleTat <= :admitUpTo",
    },
  ];
  const interval = Bucket.intervalMs(input.rate);
  // Our first write set idleTat to now + T: burstTat is the larger part only if it was past that.
  if ((before.burstTat ?? -Infinity) < nowMs + interval) forms.reverse();
  for (const form of forms) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: Table.orderKey(input.orderId),
          UpdateExpression: form.update,
          ConditionExpression: form.condition,
          ExpressionAttributeNames: { "#conn": Table.connectionAttribute(input.connectionId) },
          ExpressionAttributeValues: { ":interval": interval, ":admitUpTo": Bucket.admitUpTo(input.rate, nowMs) },
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
