/**
 * The clauses ClientCallbackTbl's conditional writes are built from (../platform/condition-expression),
 * one place each. A connection may sit in either layout (./table): `#conn` now, `#old` before.
 */
import type { Status } from "../status/event";
import { absent, and, clause, exists, or } from "../platform/condition-expression";
import * as Table from "./table";

const TTL = { "#ttl": Table.TTL_ATTRIBUTE };
const connection = (connectionId: string) => ({
  "#conn": Table.connectionAttribute(connectionId),
  "#old": Table.legacyConnectionAttribute(connectionId),
});

/** The item's expiry has not passed (an expired one awaiting TTL's sweep is cleared first). */
export const notExpired = (nowSeconds: number) =>
  or(absent("#ttl", TTL), clause("#ttl > :nowSeconds", TTL, { ":nowSeconds": nowSeconds }));

/** The item's expiry has passed. */
export const expired = (nowSeconds: number) => clause("#ttl <= :nowSeconds", TTL, { ":nowSeconds": nowSeconds });

/** The status is not recorded yet: no listener count of it, nor (items written before those) in `recorded`. */
export const statusNotRecorded = (status: Status) =>
  and(
    absent("#listeners", { "#listeners": Table.listenersAttribute(status) }),
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
  const rule = (conn: "#conn" | "#old", fields: Table.ConnectionFields) => {
    const connectedBefore = clause(`${conn}.${fields.connectedAt} < :cutoff`, names, { ":cutoff": cutoff });
    if (syncedAt === undefined) return connectedBefore;
    return or(clause(`${conn}.${fields.syncedAt} = :syncedAt`, names, { ":syncedAt": syncedAt }), connectedBefore);
  };
  return or(rule("#conn", Table.CONNECTION_FIELDS), rule("#old", Table.LEGACY_CONNECTION_FIELDS));
}
