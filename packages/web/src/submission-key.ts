/**
 * The Idempotency-Key of an order submission. Pressing "Place order" again for the same basket and
 * details after a failure (a lost 202, a 5xx, a timeout) must reuse the key, so that the API
 * answers with the order the first attempt may already have placed instead of placing a second
 * one; a changed basket or form is a new order and gets a new key, as does anything after a 202.
 */
import { newIdempotencyKey } from "@awsomepets/client";

export function createSubmissionKeys(newKey: () => string = newIdempotencyKey) {
  let pending: { body: string; key: string } | undefined;
  return {
    /** The key for this request body. */
    keyFor(request: unknown) {
      const body = JSON.stringify(request);
      if (pending?.body !== body) pending = { body, key: newKey() };
      return pending.key;
    },
    /** The order was placed (or the key was refused): the next submission is a new order. */
    settled() {
      pending = undefined;
    },
  };
}
