/** `POST /orders`' schema on the shipping country: a real ISO 3166-1 code (or the workshop's XX), refused before the card is charged. */
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import * as Countries from "@awsomepets/core/orders/countries";
import * as Order from "@awsomepets/core/orders/request";

const request = (country: string) => ({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country },
});
const countryErrors = (country: string) => {
  const parsed = z.safeParse(Order.OrderRequest, request(country));
  return parsed.success
    ? []
    : Order.fieldErrors(parsed.error)
        .filter((e) => e.path === "shippingAddress.country")
        .map((e) => e.message);
};

describe("OrderRequest's shipping country", () => {
  it.each(["PT", "DE", "GB", "US", "AX", "XX"])("accepts %s", (country) => {
    expect(countryErrors(country)).toEqual([]);
  });

  it.each([
    ["two letters no country has", "QQ", ["is not an ISO 3166-1 country code"]],
    ["a region that is not a country", "EU", ["is not an ISO 3166-1 country code"]],
    ["Kosovo's user-assigned code", "XK", ["is not an ISO 3166-1 country code"]],
    ["a name", "Germany", ["must be a two-letter country code, e.g. DE"]],
    ["lower case", "de", ["must be a two-letter country code, e.g. DE"]],
  ])("%s: %s", (_why, country, messages) => {
    expect(countryErrors(country as string)).toEqual(messages);
  });

  it("lists each of the 249 officially assigned codes once, in order", () => {
    expect(Countries.COUNTRY_CODES).toHaveLength(249);
    expect(new Set(Countries.COUNTRY_CODES).size).toBe(249);
    expect([...Countries.COUNTRY_CODES].sort()).toEqual(Countries.COUNTRY_CODES);
    expect(Countries.isCountryCode("PT")).toBe(true);
    expect(Countries.isCountryCode("UK")).toBe(false); // the United Kingdom is GB
  });
});
