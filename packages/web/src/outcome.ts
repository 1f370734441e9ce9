/**
 * What a finished order means for the customer, in their words, with the next step: a declined card
 * was not charged (try another card), a sold-out pet cost nothing (order the others), a refund says
 * how much and how long it takes (order again to another address).
 */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as StatusModel from "@awsomepets/core/status/model";
import { countryName } from "./countries";
import type { OrderSummary } from "./storage";
import { customerReason, formatAmount } from "./status-text";

export type NextStep = { kind: "another-card" | "without-sold-out" | "another-address"; label: string };
export type Outcome = { state: "completed" | "cancelled"; text: string; next?: NextStep };

export const COMPLETED_TEXT = "Completed — your pets are on their way.";
export const NOT_CHARGED_TEXT = "You have not been charged.";
export const REFUND_TIME_TEXT = "it can take up to 10 working days to show on your statement";

/** The saga's reason, as a customer reads it: pet names, not SKUs; a country's name, not its code. */
function reasonText(reason: string | undefined, locale?: string) {
  if (!reason) return "we could not complete it";
  if (/card was declined/i.test(reason)) return "your card was declined";
  const country = /^We cannot deliver to ([A-Z]{2})$/.exec(reason);
  if (country) return `we cannot deliver to ${countryName(country[1]!, locale) ?? "this country"}`;
  const soldOut = /^Out of stock: (.+)$/.exec(reason);
  if (soldOut) {
    const names = customerReason(soldOut[1]!);
    return `${names} ${names.includes(",") ? "are" : "is"} sold out`;
  }
  // Anything else (a timeout, an unexpected error) is the shop's problem, not something to show a customer.
  return "we could not complete it";
}

export function outcomeOf(
  entries: readonly Pick<StatusModel.HistoryRecord, "status" | "reason" | "amountPaid">[],
  summary: OrderSummary | undefined,
  locale?: string,
): Outcome | undefined {
  const terminal = entries.find((e) => StatusModel.isTerminal(e.status));
  if (!terminal) return undefined;
  if (terminal.status === "completed") return { state: "completed", text: COMPLETED_TEXT };
  const reason = terminal.reason ?? entries.find((e) => e.reason)?.reason;
  const said = reasonText(reason, locale);
  const paid = entries.find((e) => e.status === "paid");
  const refunded = entries.some((e) => e.status === "refunded");
  const amount = paid?.amountPaid ?? summary?.amount;
  const money = refunded
    ? `Your payment${amount === undefined ? "" : ` of ${formatAmount(amount, locale)}`} has been refunded to your card; ${REFUND_TIME_TEXT}.`
    : paid
      ? "Your payment will be refunded."
      : NOT_CHARGED_TEXT;
  const text = `Cancelled: ${said}. ${money}`;
  if (/card was declined/i.test(reason ?? ""))
    return { state: "cancelled", text, next: { kind: "another-card", label: "Try another card" } };
  if (/^Out of stock/.test(reason ?? "") && summary?.basket.some((line) => !Catalogue.findPet(line.sku)?.soldOut)) {
    return { state: "cancelled", text, next: { kind: "without-sold-out", label: "Order the other pets" } };
  }
  if (/^We cannot deliver/.test(reason ?? ""))
    return { state: "cancelled", text, next: { kind: "another-address", label: "Order again to another address" } };
  return { state: "cancelled", text };
}
