/**
 * The clauses OrdersTbl's conditional writes are built from (../platform/condition-expression), one
 * place each. An item is `live` while it exists and has not expired: TTL deletes only eventually
 * (dynalite never), so an expired item awaiting the sweep counts as absent.
 */
import { absent, and, clause, exists, or } from "../platform/condition-expression";
import * as OrdersTable from "./table";

const TTL = { "#ttl": OrdersTable.TTL_ATTRIBUTE };

/** The item is there (whatever its expiry): never writes an erased order's item back. */
export const present = () => exists("pk");

/** The item's expiry has passed (an item without one, written before retention, never expires). */
export const expired = (nowSeconds: number) => clause("#ttl <= :now", TTL, { ":now": nowSeconds });

/** The item's expiry has not passed. */
export const notExpired = (nowSeconds: number) =>
  or(absent("#ttl", TTL), clause("#ttl > :now", TTL, { ":now": nowSeconds }));

/** The order's item exists and has not expired. */
export const live = (nowSeconds: number) => and(present(), notExpired(nowSeconds));

/** No live item holds the key: absent, or expired and not yet swept. */
export const free = (nowSeconds: number) => or(absent("pk"), expired(nowSeconds));

/** The item belongs to this order (an Idempotency-Key's record, or the order's own). */
export const namesOrder = (orderId: string) => clause("orderId = :orderId", {}, { ":orderId": orderId });

/** No `POST /orders` has had the order's workflow started yet. */
export const workflowNotStarted = () => absent("workflowStartedAt");

/** The claim to start the workflow was made at or before `leaseEnd` (its lease has run out). */
export const startClaimOlderThan = (leaseEnd: string) =>
  clause("workflowStartingAt <= :leaseEnd", {}, { ":leaseEnd": leaseEnd });

/** The claim to start the workflow is still the one made at `claimedAt`. */
export const startClaimedAt = (claimedAt: string) =>
  clause("workflowStartingAt = :claimedAt", {}, { ":claimedAt": claimedAt });

/** The order has not settled on `outcome` (`completedAt` or `cancelledAt`). */
export const notSettledAs = (outcome: "completedAt" | "cancelledAt") => absent(outcome);

/** The payment step has recorded no outcome. */
export const notPaid = () => absent("payment");

/** The order holds a reservation. */
export const reserved = () => exists("reservation");

/** The order's reservation (if any) has not been released. */
export const notReleased = () => absent("reservation.releasedAt");

/** The order has not been refunded. */
export const notRefunded = () => absent("refund");

/** A step's outcome under `attribute` is not recorded yet. */
export const notRecorded = (attribute: string) => absent("#attribute", { "#attribute": attribute });
