/**
 * The pet catalogue orders are priced from. Prices are in cents of CURRENCY so that totals are exact.
 * `SOLD-OUT` is listed (flagged `soldOut`, so a shop shows it as sold out) so that the saga's sold-out
 * path can be tried: an order with it is accepted and then cancelled by ReserveInventory.
 */
/** The one currency every price, total and payment is in (ISO 4217). */
export const CURRENCY = "EUR";

export type Pet = {
  sku: string;
  name: string;
  species: string;
  priceCents: number;
  price: number;
  description: string;
  soldOut: boolean;
};

const pet = (
  sku: string,
  name: string,
  species: string,
  priceCents: number,
  description: string,
  soldOut = false,
): Pet => ({
  sku,
  name,
  species,
  priceCents,
  price: priceCents / 100,
  description,
  soldOut,
});

export const SOLD_OUT_SKU = "SOLD-OUT";

export const PETS: readonly Pet[] = [
  pet("DOG-LAB", "Labrador puppy", "dog", 45000, "Friendly, loyal, and endlessly hungry."),
  pet("CAT-SIA", "Siamese kitten", "cat", 32000, "Talkative and curious."),
  pet("BUN-LOP", "Holland Lop rabbit", "rabbit", 8500, "Floppy ears, gentle temper."),
  pet("FSH-BET", "Betta fish", "fish", 1250, "A small, bright, solitary swimmer."),
  pet("BRD-BUD", "Budgerigar", "bird", 2500, "Chirpy and easy to keep."),
  pet(SOLD_OUT_SKU, "Golden unicorn", "unicorn", 99999, "Always out of stock: ordering it cancels the order.", true),
];

const bySku = new Map(PETS.map((p) => [p.sku, p]));
export const findPet = (sku: string) => bySku.get(sku);

/** Total of a basket in cents; undefined if a sku is not in the catalogue. */
export function priceCents(basket: ReadonlyArray<{ sku: string; quantity: number }>) {
  let total = 0;
  for (const line of basket) {
    const found = bySku.get(line.sku);
    if (!found) return undefined;
    total += found.priceCents * line.quantity;
  }
  return total;
}
