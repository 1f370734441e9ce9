/**
 * Where an API validation error (`errors[].path`, zod's path joined by dots) is shown. Form controls
 * are named after the API path (`shippingAddress.country`), except the basket: the API numbers the
 * lines it was sent (`basket.0.quantity`), the form has one quantity per pet (`quantity.<sku>`).
 */
import type { FieldError } from "./api-client";

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

/** Messages per field; several errors on one field are joined. */
export function groupFieldErrors(errors: readonly FieldError[], sentSkus: readonly string[], knownFields: ReadonlySet<string>) {
  const byField = new Map<string, string[]>();
  for (const error of errors) {
    const field = fieldForPath(error.path, sentSkus, knownFields);
    const message = field === FORM_FIELD && error.path !== "(body)" ? `${error.path}: ${error.message}` : error.message;
    byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  return new Map([...byField].map(([field, messages]) => [field, messages.join("; ")]));
}
