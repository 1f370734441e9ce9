/**
 * The clauses ClientCallbackTbl's conditional writes are built from (../platform/condition-expression),
 * one place each. A connection may sit in either layout (./table): `#conn` now, `#old` before.
 */
import type { Status } from "../status/event";
import { absent, and, clause, exists, or } from "../platform/condition-expression";
import * as CallbackTable from "./table";

const TTL = { "#ttl": CallbackTable.TTL_ATTRIBUTE };
const connection = (connectionId: string) => ({
  "#conn": CallbackTable.connectionAttribute(connectionId),
  "#old": CallbackTable.legacyConnectionAttribute(connectionId),
});

/** The item's expiry has not passed (an expired one awaiting TTL's sweep is cleared first). */
export const notExpired = (nowSeconds: number) =>
  or(absent("#ttl", TTL), clause("#ttl > :nowSeconds", TTL, { ":nowSeconds": nowSeconds }));

/** The item's expiry is still ahead; unlike notExpired, an item without one fails (a message's first write). */
export const expiryAhead = (nowSeconds: number) => clause("#ttl > :nowSeconds", TTL, { ":nowSeconds": nowSeconds });

/** The item's expiry has passed. */
export const expired = (nowSeconds: number) => clause("#ttl <= :nowSeconds", TTL, { ":nowSeconds": nowSeconds });

/** The status is not recorded yet: no listener count of it, nor (items written before those) in `recorded`. */
export const statusNotRecorded = (status: Status) =>
  and(
    absent("#listeners", { "#listeners": CallbackTable.listenersAttribute(status) }),
    clause("NOT contains(recorded, :status)", {}, { ":status": status }),
  );

/** The order's item holds statuses: never create an item just to mark it. */
export const hasHistory = () => exists("history");

/** No message was handed over since the read (`handovers` is never removed, so absent means 0). */
export const handoversStill = (handovers: number) =>
  or(absent("handovers"), clause("handovers = :handovers", {}, { ":handovers": handovers }));

/** The connection is in neither layout (a retried `$connect` across a deploy may find the old one). */
export const connectionAbsent = (connectionId: string) =>
  and(absent("#conn", connection(connectionId)), absent("#old", connection(connectionId)));

/** The connection is in one layout or the other. */
export const connectionHeld = (connectionId: string) =>
  or(exists("#conn", connection(connectionId)), exists("#old", connection(connectionId)));

/** Fewer than `max` connections are counted. */
export const underConnectionCap = (max: number) =>
  or(absent("connCount"), clause("connCount < :max", {}, { ":max": max }));

/** The count is still the one read. */
export const connectionCountIs = (read: number) => clause("connCount = :read", {}, { ":read": read });

/** Every one of these attributes is still there. */
export const allPresent = (attributes: string[]) =>
  and(...attributes.map((attribute, i) => exists(`#x${i}`, { [`#x${i}`]: attribute })));

/**
 * The connection (in either layout) was surely open when a post to it answered 410: it still holds the
 * `syncedAt` read before the post (if it had one), or it connected before `cutoff` (ms). Each clause
 * holds only while the connection is there, so a removal under it uncounts it once.
 */
export function connectionSurelyGone(connectionId: string, syncedAt: number | undefined, cutoff: number) {
  const names = connection(connectionId);
  const rule = (conn: "#conn" | "#old", fields: CallbackTable.ConnectionFields) => {
    const connectedBefore = clause(`${conn}.${fields.connectedAt} < :cutoff`, names, { ":cutoff": cutoff });
    if (syncedAt === undefined) return connectedBefore;
    return or(clause(`${conn}.${fields.syncedAt} = :syncedAt`, names, { ":syncedAt": syncedAt }), connectedBefore);
  };
  return or(rule("#conn", CallbackTable.CONNECTION_FIELDS), rule("#old", CallbackTable.LEGACY_CONNECTION_FIELDS));
}

/** A connection's attribute and field names in the layout that wrote it (./admission serves both layouts). */
export type LaidOutConnection = { attribute: string; fields: CallbackTable.ConnectionFields };
const laidOut = (c: LaidOutConnection) => ({ "#conn": c.attribute, "#b": c.fields.burstTat, "#i": c.fields.idleTat });

/** The connection is in the item, in this layout. */
export const connectionPresent = (c: LaidOutConnection) => exists("#conn", { "#conn": c.attribute });

/** Today's layout: the connection connected after `connectedAfter` (ms), less than its TTL ago. */
export const connectedAfter = (c: LaidOutConnection, after: number) =>
  clause(
    "#conn.#c > :connectedAfter",
    { "#conn": c.attribute, "#c": c.fields.connectedAt },
    { ":connectedAfter": after },
  );

/** The layout before: the connection's own expiry (`expiresAt`, seconds) is still ahead. */
export const legacyConnectionUnexpired = (c: LaidOutConnection, nowSeconds: number) =>
  clause("#conn.#exp > :nowSeconds", { "#conn": c.attribute, "#exp": "expiresAt" }, { ":nowSeconds": nowSeconds });

/** The bucket's burst part is the larger TAT (or equal) and leaves room: burstTat <= admitUpTo (ms). */
export const burstTatRoom = (c: LaidOutConnection, admitUpTo: number) =>
  and(
    connectionPresent(c),
    clause("#conn.#b >= #conn.#i AND #conn.#b <= :admitUpTo", laidOut(c), { ":admitUpTo": admitUpTo }),
  );

/** The idle part is the larger (burstTat absent or smaller) and leaves room: idleTat <= admitUpTo (ms). */
export const idleTatRoom = (c: LaidOutConnection, admitUpTo: number) =>
  and(
    connectionPresent(c),
    or(absent("#conn.#b", laidOut(c)), clause("#conn.#b < #conn.#i", laidOut(c))),
    clause("#conn.#i <= :admitUpTo", laidOut(c), { ":admitUpTo": admitUpTo }),
  );
