/** `GET /catalogue` → GetCatalogueFunction: the pets orders are priced from. */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import { json } from "../lib/http";

export async function handler() {
  return json(
    200,
    Catalogue.PETS.map(({ priceCents: _cents, ...pet }) => pet),
    { "cache-control": "public, max-age=300" },
  );
}
