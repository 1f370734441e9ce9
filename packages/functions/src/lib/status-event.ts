/**
 * An "Order Status Changed" event as EventBridge delivers it to a target: core's schema.
 *
 * An event the schema refuses fails its invocation (`InvalidStatusEventError`) rather than being
 * dropped. Retrying cannot fix it, but the retries are bounded — Lambda's async retries (2, by
 * `STATUS_TARGET_RETRY_POLICY`), then the function's failure destination, the SQS dead-letter queue
 * whose alarm fires; locally the rule's retries, then the dead-letter log — and there the event waits,
 * whole, until the producer or the schema is fixed and `npm run redrive` sends it again. A path of its
 * own straight to the queue would skip two invocations of a few ms, at the price of the queue's URL,
 * an SQS grant and a client in every consumer, for an event that should never exist.
 */
import * as OrderStatus from "@awsomepets/core/status/event";

export const StatusEvent = OrderStatus.Event;

export class InvalidStatusEventError extends Error {
  override readonly name = "InvalidStatusEventError";
  readonly eventId: unknown;
  readonly orderId: unknown;
  /** The fields at fault, as `path: code`. */
  readonly fields: string[];

  constructor(raw: unknown, issues: Parameters<typeof OrderStatus.describeIssues>[0]) {
    const fields = OrderStatus.describeIssues(issues);
    // The message is what the dead letter keeps (Lambda's `responsePayload.errorMessage`, the local `lastError`).
    super(`Not a valid order status event, retrying cannot help: ${fields.join("; ")}`);
    const envelope = (typeof raw === "object" && raw !== null ? raw : {}) as {
      id?: unknown;
      detail?: { orderId?: unknown };
    };
    this.eventId = envelope.id;
    this.orderId = envelope.detail?.orderId;
    this.fields = fields;
  }

  /** For the log line. */
  get context() {
    return { eventId: this.eventId, orderId: this.orderId, fields: this.fields };
  }
}
