/** How statuses, money and reasons read to a customer. */
import { CURRENCY, PETS } from "@awsomepets/core/catalogue";
import type { Status } from "@awsomepets/core/order-status-model";

export const STATUS_LABELS: Record<Status, string> = {
  placed: "Order placed",
  reserved: "Pets reserved",
  paid: "Payment received",
  completed: "Completed",
  released: "Reservation released",
  refunded: "Payment refunded",
  cancelled: "Cancelled",
};

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: CURRENCY });
/** An amount in the catalogue's currency, e.g. "€475.00". */
export const formatAmount = (amount: number) => money.format(amount);
export const formatCents = (cents: number) => money.format(cents / 100);

export function formatTime(iso: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A pet's name as a sentence uses it: without the catalogue's aside ("Golden unicorn (sold out)" → "Golden unicorn"). */
export const petName = (sku: string) => PETS.find((p) => p.sku === sku)?.name.replace(/\s*\([^)]*\)$/, "") ?? sku;

const SKU_PATTERN = new RegExp(`(?<![\\w-])(${PETS.map((p) => p.sku.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|")})(?![\\w-])`, "g");

/** A cancellation reason with product names instead of SKUs ("Out of stock: SOLD-OUT" → "Out of stock: Golden unicorn"). */
export const customerReason = (reason: string) => reason.replace(SKU_PATTERN, (sku) => petName(sku));

const regions = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    return undefined;
  }
})();
/** "PT" → "Portugal"; a code no region has is shown as it is. */
export function countryName(code: string) {
  try {
    const name = regions?.of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}
