/**
 * Where an API validation error (`errors[].path`, zod's path joined by dots) is shown, and what it
 * says: customer words chosen by the field the path names, never the validator's message. Form
 * controls are named after the API path (`shippingAddress.country`), except the basket: the API
 * numbers the lines it was sent (`basket.0.quantity`), the form has one quantity per pet (`quantity.<sku>`).
 */
import type { FieldError, OrderRequest } from "@awsomepets/client";

export const BASKET_FIELD = "basket";
export const FORM_FIELD = "form";
export const quantityField = (sku: string) => `quantity.${sku}`;

/** The form control (or `basket` / `form` area) for an error path, given the skus in the order sent. */
export function fieldForPath(path: string, sentSkus: readonly string[], knownFields: ReadonlySet<string>): string {
  const basketLine = /^basket\.(\d+)(?:\.|$)/.exec(path);
  if (basketLine) {
    const sku = sentSkus[Number(basketLine[1])];
    return sku !== undefined && knownFields.has(quantityField(sku)) ? quantityField(sku) : BASKET_FIELD;
  }
  if (path === BASKET_FIELD) return BASKET_FIELD;
  return knownFields.has(path) ? path : FORM_FIELD;
}

/** For each field: what to say when it was left empty, and when what was typed is not accepted. */
const FIELD_TEXT: Record<string, { empty: string; invalid: string }> = {
  "paymentDetail.cardToken": {
    empty: "Choose a card to pay with.",
    invalid: "This card cannot be used. Choose another card.",
  },
  "shippingAddress.name": {
    empty: "Enter the name of the person receiving the pets.",
    invalid: "Keep the name under 200 characters.",
  },
  "shippingAddress.line1": {
    empty: "Enter the street and house number.",
    invalid: "Keep the street and number under 200 characters.",
  },
  "shippingAddress.city": { empty: "Enter the town or city.", invalid: "Keep the town or city under 100 characters." },
  "shippingAddress.postalCode": {
    empty: "Enter the postal code.",
    invalid: "Keep the postal code under 20 characters.",
  },
  "shippingAddress.country": {
    empty: "Choose the country the pets ship to.",
    invalid: "We cannot ship to this country. Choose another one from the list.",
  },
};
export const BASKET_EMPTY_TEXT = "Choose at least one pet: set its quantity to 1 or more.";
export const QUANTITY_TEXT = "Enter a whole number from 1 to 99.";
export const UNAVAILABLE_PET_TEXT = "Sorry, this pet is not in the shop any more. Set its quantity to 0.";
export const UNPLACED_TEXT = "Part of the order could not be accepted. Please check your details and try again.";

function sentValue(request: OrderRequest, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined),
      request,
    );
}

/** The customer's words for one error path (the validator's message is deliberately not used). */
export function customerMessage(path: string, request: OrderRequest): string {
  if (/^basket\.\d+\.sku$/.test(path)) return UNAVAILABLE_PET_TEXT;
  if (/^basket\.\d+(\.|$)/.test(path)) return QUANTITY_TEXT;
  if (path === BASKET_FIELD)
    return request.basket.length === 0 ? BASKET_EMPTY_TEXT : "You can order up to 20 different pets at once.";
  const text = FIELD_TEXT[path];
  if (!text) return UNPLACED_TEXT;
  const value = sentValue(request, path);
  return typeof value === "string" && value.trim() === "" ? text.empty : text.invalid;
}

/** One message per field (several errors on one field say the same thing once). */
export function groupFieldErrors(
  errors: readonly FieldError[],
  request: OrderRequest,
  knownFields: ReadonlySet<string>,
) {
  const sentSkus = request.basket.map((line) => line.sku);
  const byField = new Map<string, Set<string>>();
  for (const error of errors) {
    const field = fieldForPath(error.path, sentSkus, knownFields);
    byField.set(field, (byField.get(field) ?? new Set()).add(customerMessage(error.path, request)));
  }
  return new Map([...byField].map(([field, messages]) => [field, [...messages].join(" ")]));
}

/** What a customer reads when the API refused the order for something other than its fields. */
export function refusalText(status: number): string {
  if (status === 0)
    return "We couldn't reach the shop. Check your connection and press “Place order” again — you will not be charged twice.";
  if (status === 429) return "The shop is very busy right now. Please wait a moment and press “Place order” again.";
  if (status === 422)
    return "This order changed while it was being sent. Please check it and press “Place order” again.";
  if (status === 413) return "This order is too large. Please order fewer pets at once.";
  if (status >= 500)
    return "Something went wrong on our side. Please press “Place order” again in a moment — you will not be charged twice.";
  return `The shop could not accept this order (error ${status}). Please try again.`;
}
