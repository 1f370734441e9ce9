/**
 * How statuses, money, dates and reasons read to a customer. Money, dates and times go through `Intl`
 * in the browser's locale (`locale` undefined) and time zone; the currency is always the shop's.
 */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import type * as StatusModel from "@awsomepets/core/status/model";

/** What happened, in the customer's words. */
export const STATUS_LABELS: Record<StatusModel.Status, string> = {
  placed: "Order placed",
  reserved: "Pets reserved for you",
  paid: "Payment received",
  completed: "On its way",
  released: "Reservation cancelled",
  refunded: "Payment refunded",
  cancelled: "Order cancelled",
};

/** The steps of an order that goes well, in order: the stepper shows those still to come. */
export const HAPPY_STEPS: readonly StatusModel.Status[] = ["placed", "reserved", "paid", "completed"];
/** A step still to come, as the stepper names it. */
export const UPCOMING_LABELS: Partial<Record<StatusModel.Status, string>> = {
  reserved: "Reserving your pets",
  paid: "Payment",
  completed: "Sending your pets",
};

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** An amount in the shop's currency, in the customer's locale: "€475.00" (en-GB), "475,00 €" (de-DE). */
export function formatAmount(amount: number, locale?: string) {
  const key = locale ?? "";
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: Catalogue.CURRENCY });
    moneyFormats.set(key, format);
  }

  return format.format(amount);
}
export const formatCents = (cents: number, locale?: string) => formatAmount(cents / 100, locale);

/** A date and time in the customer's time zone, with the zone: "2 Dec 2026, 10:04 UTC", "2. Dez. 2026, 11:04 MEZ". */
export function formatDateTime(iso: string, locale?: string, timeZone?: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(date);
}

/** A time of day only, for "checked at …" notes: "10:04". */
export function formatClock(date: Date, locale?: string) {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(date);
}

/** A pet's name as a sentence uses it. */
export const petName = (sku: string) => Catalogue.PETS.find((p) => p.sku === sku)?.name ?? sku;

const SKU_PATTERN = new RegExp(
  `(?<![\\w-])(${Catalogue.PETS.map((p) => p.sku.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|")})(?![\\w-])`,
  "g",
);

/**
 * A cancellation reason with product names instead of SKUs ("Out of stock: SOLD-OUT" → "Out of stock: Golden unicorn").
 */
export const customerReason = (reason: string) => reason.replace(SKU_PATTERN, (sku) => petName(sku));
