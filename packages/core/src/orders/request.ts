/**
 * An order as the shop submits it to `POST /orders`, and as the workflow carries it.
 */
import * as z from "zod/mini";
import * as Catalogue from "./catalogue";
import { isCountryCode } from "./countries";
import { UNDELIVERABLE_COUNTRY } from "./saga";

export const MAX_BODY_BYTES = 64 * 1024;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const BasketLine = z.strictObject({
  sku: z.string().check(
    z.minLength(1),
    z.maxLength(64),
    z.refine((sku) => Catalogue.findPet(sku) !== undefined, "is not a pet in the catalogue"),
  ),
  quantity: z.int().check(z.minimum(1), z.maximum(99)),
});

export const OrderRequest = z.strictObject({
  basket: z.array(BasketLine).check(z.minLength(1), z.maxLength(20)),
  paymentDetail: z.strictObject({ cardToken: z.string().check(z.minLength(1), z.maxLength(128)) }),
  shippingAddress: z.strictObject({
    name: text(200),
    line1: text(200),
    city: text(100),
    postalCode: text(20),
    // A real ISO 3166-1 alpha-2 code, checked here, before the card is charged. The one exception is
    // the workshop's undeliverable path: XX (a code ISO 3166 leaves to private use) is accepted so
    // that the saga's refund can be tried; no country picker offers it.
    country: z.string().check(
      z.regex(/^[A-Z]{2}$/, "must be a two-letter country code, e.g. DE"),
      z.refine(
        (code) => !/^[A-Z]{2}$/.test(code) || isCountryCode(code) || code === UNDELIVERABLE_COUNTRY,
        "is not an ISO 3166-1 country code",
      ),
    ),
  }),
});
export type OrderRequest = z.output<typeof OrderRequest>;

/**
 * The workflow's input, and so what its execution history shows anyone with
 * `states:GetExecutionHistory` for 90 days: nothing personal. The order's id (also the execution's
 * name), when it was placed and its amount; a step that needs the basket, the card or the address
 * reads them from the order's item (orders/saga.ts).
 */
export type WorkflowInput = { orderId: string; placedAt: string; amountCents: number };

export type FieldError = { path: string; message: string };

type Issue = z.core.$ZodIssue;

/** A short English reason per issue (zod/mini carries no locale); the page words its own per field. */
function describe(issue: Issue): string {
  if (issue.code === "custom" || (issue.code === "invalid_format" && issue.message !== "Invalid input"))
    return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be a ${issue.expected}`;
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${issue.minimum} item(s)`
        : issue.origin === "string"
          ? "is required"
          : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `takes at most ${issue.maximum} items`
        : issue.origin === "string"
          ? `is longer than ${issue.maximum} characters`
          : `must be at most ${issue.maximum}`;
    case "unrecognized_keys":
      return `has unknown field(s): ${issue.keys.join(", ")}`;
    default:
      return "is invalid";
  }
}

export function fieldErrors(error: { issues: readonly Issue[] }): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: describe(issue),
  }));
}
