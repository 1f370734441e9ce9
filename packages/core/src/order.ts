/**
 * An order as the shop submits it to `POST /orders`, and as the workflow carries it.
 */
import { z } from "zod";
import * as Catalogue from "./catalogue";

export const MAX_BODY_BYTES = 64 * 1024;

export const BasketLine = z.strictObject({
  sku: z.string().min(1).max(64).refine((sku) => Catalogue.findPet(sku) !== undefined, "unknown sku"),
  quantity: z.number().int().min(1).max(99),
});

export const OrderRequest = z.strictObject({
  basket: z.array(BasketLine).min(1).max(20),
  paymentDetail: z.strictObject({ cardToken: z.string().min(1).max(128) }),
  shippingAddress: z.strictObject({
    name: z.string().trim().min(1).max(200),
    line1: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().min(1).max(20),
    country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 alpha-2 code, e.g. DE"),
  }),
});
export type OrderRequest = z.infer<typeof OrderRequest>;

/** The workflow's input: the order and its id (also the execution's name). */
export type WorkflowInput = OrderRequest & { orderId: string; placedAt: string };

export type FieldError = { path: string; message: string };

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}
