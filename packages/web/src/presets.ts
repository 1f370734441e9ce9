/**
 * One-click orders for each path of the saga (packages/core/src/saga.ts): what makes a path happen is
 * a sold-out sku, a declined card token, or an undeliverable country.
 */
export type OrderDraft = {
  quantities: Record<string, number>;
  cardToken: string;
  shippingAddress: { name: string; line1: string; city: string; postalCode: string; country: string };
};

const address = { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" };
const happyBasket = { "DOG-LAB": 1, "FSH-BET": 2 };

export const PRESETS = {
  success: { label: "Success", draft: { quantities: happyBasket, cardToken: "tok_visa", shippingAddress: address } },
  soldOut: { label: "Sold out", draft: { quantities: { ...happyBasket, "SOLD-OUT": 1 }, cardToken: "tok_visa", shippingAddress: address } },
  declinedCard: { label: "Declined card", draft: { quantities: happyBasket, cardToken: "tok_declined", shippingAddress: address } },
  undeliverable: { label: "Undeliverable address", draft: { quantities: happyBasket, cardToken: "tok_visa", shippingAddress: { ...address, country: "XX" } } },
} as const satisfies Record<string, { label: string; draft: OrderDraft }>;

export type PresetName = keyof typeof PRESETS;
export const isPresetName = (name: string | undefined): name is PresetName => name !== undefined && name in PRESETS;
