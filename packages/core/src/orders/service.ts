/**
 * The order service: what `POST /orders` and `GET /orders/{orderId}` do. Placing an order is a
 * sequence of idempotent steps (claim the key, store the order, publish `placed`, start the
 * workflow named after the order), so a retried request resumes where the first one stopped and
 * never starts a second workflow.
 */
import { createHash, randomUUID } from "node:crypto";
import { PutEventsCommand, type EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import * as Catalogue from "./catalogue";
import * as CallbackToken from "../callbacks/token";
import type { OrderRequest, WorkflowInput } from "./request";
import { historyOf, type OrderStore } from "./store";
import * as OrderStatus from "../status/event";

export type OrderDeps = {
  store: OrderStore;
  sfn: SFNClient;
  eventBridge: EventBridgeClient;
  stateMachineArn: string;
  eventBusName: string;
  websocketUrl: string;
  /** The stage's callback-token secrets (`current` signs) and its name, bound into every token. */
  tokenKeys: CallbackToken.Keys;
  stage: string;
  now?: () => Date;
};

export type PlaceResult =
  | { kind: "placed"; orderId: string; clientCallbackUrl: string; status: "placed" }
  | { kind: "idempotency_conflict" };

export class PublishFailedError extends Error {
  constructor(
    readonly errorCode: string | undefined,
    message: string | undefined,
  ) {
    super(`PutEvents rejected the status: ${errorCode ?? "unknown"} ${message ?? ""}`.trim());
    this.name = "PublishFailedError";
  }
}

/** A stable hash of the request, so a retry with the same body is recognised whatever its key order. */
function requestHash(request: OrderRequest) {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(canonical(request)))
    .digest("hex");
}

export async function publishStatus(
  deps: Pick<OrderDeps, "eventBridge" | "eventBusName">,
  detail: OrderStatus.StatusRecord,
) {
  const result = await deps.eventBridge.send(
    new PutEventsCommand({ Entries: [OrderStatus.toPutEventsEntry(detail, deps.eventBusName)] }),
  );
  const failed = result.Entries?.find((entry) => entry.ErrorCode);
  if (result.FailedEntryCount || failed) throw new PublishFailedError(failed?.ErrorCode, failed?.ErrorMessage);
}

export async function placeOrder(
  deps: OrderDeps,
  input: { request: OrderRequest; idempotencyKey?: string },
): Promise<PlaceResult> {
  const now = deps.now?.() ?? new Date();
  let orderId: string = randomUUID();
  let token = CallbackToken.sign({ orderId, stage: deps.stage, secret: deps.tokenKeys.current, now });
  let idempotencyKeyHash: string | undefined;
  if (input.idempotencyKey) {
    // The token is stored with the claim: a retry gets the first one back, not a fresh one (which
    // would extend the expiry for anyone who learns the key).
    const claim = await deps.store.claimIdempotencyKey({
      key: input.idempotencyKey,
      requestHash: requestHash(input.request),
      orderId,
      token,
    });
    if (!claim.sameRequest) return { kind: "idempotency_conflict" };
    orderId = claim.orderId;
    idempotencyKeyHash = claim.keyHash;
    token = claim.token ?? CallbackToken.sign({ orderId, stage: deps.stage, secret: deps.tokenKeys.current, now });
  }
  const amountCents = Catalogue.priceCents(input.request.basket);
  if (amountCents === undefined) throw new Error("The basket was validated against the catalogue");
  const { placedAt, startClaim } = await deps.store.createOrder({
    orderId,
    placedAt: now.toISOString(),
    request: input.request,
    amountCents,
    idempotencyKeyHash,
  });

  await publishStatus(deps, { orderId, status: "placed", occurredAt: placedAt });
  // Nothing personal: an execution's input stays readable in its history for 90 days. The steps
  // read the basket, card and address from the order's item, which expires and can be erased.
  const workflowInput: WorkflowInput = { orderId, placedAt, amountCents };
  // Named after the order, but an Express name is not unique: only the request holding the order's
  // start claim (order-store `claimWorkflowStart`, written before StartExecution) starts it; a
  // concurrent or later retry answers with the same order and starts nothing. Standard would also
  // refuse a second execution of the name (ExecutionAlreadyExists).
  if (startClaim) {
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name: orderId,
          input: JSON.stringify(workflowInput),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) {
        await deps.store.releaseWorkflowStart(orderId, startClaim).catch(() => undefined); // else the lease runs out
        throw error;
      }
    }
    await deps.store.markWorkflowStarted(orderId, (deps.now?.() ?? new Date()).toISOString());
  }
  return {
    kind: "placed",
    status: "placed",
    orderId,
    clientCallbackUrl: CallbackToken.callbackUrl({ websocketUrl: deps.websocketUrl, orderId, token }),
  };
}

/**
 * What the holder of an order's callback token sees. No shipping address, no card: the link may be
 * forwarded, and whoever has it sees only what the order's progress needs.
 */
export type OrderView = {
  orderId: string;
  status: OrderStatus.Status;
  terminal: boolean;
  placedAt: string;
  amount: number;
  basket: OrderRequest["basket"];
  history: ReturnType<typeof historyOf>;
};

export type ViewResult =
  | { kind: "found"; order: OrderView }
  | { kind: "forbidden"; reason: string }
  | { kind: "not_found" };

/**
 * `GET /orders/{orderId}`: only with the order's callback token; an order past its retention (or
 * erased) is `not_found`.
 *
 * @example
 * const result = await viewOrder({ store, tokenKeys: { current: secret }, stage: "prod" }, { orderId, token });
 * if (result.kind === "found") console.log(result.order.status); // no shippingAddress in it
 */
export async function viewOrder(
  deps: Pick<OrderDeps, "store" | "tokenKeys" | "stage" | "now">,
  input: { orderId: string; token: string | undefined },
): Promise<ViewResult> {
  if (!input.token) return { kind: "forbidden", reason: "token is missing" };
  const verification = CallbackToken.verify({
    orderId: input.orderId,
    stage: deps.stage,
    token: input.token,
    keys: deps.tokenKeys,
    now: deps.now?.(),
  });
  if (!verification.ok) return { kind: "forbidden", reason: `token is ${verification.reason}` };
  const order = await deps.store.getOrder(input.orderId);
  if (!order) return { kind: "not_found" };
  return {
    kind: "found",
    order: {
      orderId: order.orderId,
      status: order.status,
      terminal: OrderStatus.isTerminal(order.status),
      placedAt: order.placedAt,
      amount: order.amountCents / 100,
      basket: order.basket,
      history: historyOf(order),
    },
  };
}
