/**
 * The workshop's failure paths (packages/core/src/orders/saga.ts), placed from their own panel, apart from
 * the customer's form: what makes a path happen is a sold-out sku, the declined card token, or the
 * undeliverable country code XX — values a customer never enters.
 */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import type { OrderRequest } from "@awsomepets/client";

export type OrderDraft = {
  quantities: Record<string, number>;
  cardToken: string;
  shippingAddress: OrderRequest["shippingAddress"];
};

/** The test cards the customer's form offers (this demo shop charges nothing). */
export const TEST_CARDS = [
  { token: "tok_visa", label: "Visa ending 4242" },
  { token: "tok_mastercard", label: "Mastercard ending 4444" },
] as const;

const address = { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" };
const basket = [
  { sku: "DOG-LAB", quantity: 1 },
  { sku: "FSH-BET", quantity: 2 },
];

export type FailurePath = "soldOut" | "declinedCard" | "undeliverable";
export const FAILURE_PATHS: Record<FailurePath, OrderRequest> = {
  soldOut: {
    basket: [...basket, { sku: Catalogue.SOLD_OUT_SKU, quantity: 1 }],
    paymentDetail: { cardToken: "tok_visa" },
    shippingAddress: address,
  },
  declinedCard: { basket, paymentDetail: { cardToken: "tok_declined" }, shippingAddress: address },
  undeliverable: { basket, paymentDetail: { cardToken: "tok_visa" }, shippingAddress: { ...address, country: "XX" } },
};
export const isFailurePath = (name: string | undefined): name is FailurePath =>
  name !== undefined && name in FAILURE_PATHS;
