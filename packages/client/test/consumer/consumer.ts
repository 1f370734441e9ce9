// A strict TypeScript consumer (tsc --strict, moduleResolution nodenext): typechecked against the
// installed package's .d.ts only. The @ts-expect-error lines prove the types are not `any`.
import {
  type ConnectionState,
  getCatalogue,
  getOrder,
  type Order,
  type PlaceOrderResult,
  placeOrder,
  type Status,
  type StatusFrame,
  watchOrder,
} from "@awsomepets/client";

const describeStatus = (status: Status): string => {
  switch (status) {
    case "placed":
    case "reserved":
    case "paid":
    case "refunded":
    case "released":
      return "under way";
    case "completed":
    case "cancelled":
      return "done";
  }
};

export async function order(baseUrl: string): Promise<string> {
  const result: PlaceOrderResult = await placeOrder({
    baseUrl,
    order: {
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
    },
  });
  if (!result.ok) {
    if (result.kind === "refused" && result.status === 400) return result.problem.errors?.[0]?.path ?? "";
    // @ts-expect-error 404 is not a refusal POST /orders documents
    if (result.kind === "refused" && result.status === 404) return "never";
    return result.retryable ? `retry with ${result.idempotencyKey}` : result.problem.message;
  }
  const token = new URL(result.order.clientCallbackUrl).searchParams.get("token") ?? "";
  const read = await getOrder({ baseUrl, orderId: result.order.orderId, token });
  const current: Order["status"] | undefined = read.ok ? read.order.status : undefined;
  const client = watchOrder({
    url: result.order.clientCallbackUrl,
    events: {
      onStatus: (frame: StatusFrame) => console.log(frame.seq, describeStatus(frame.status), frame.amountPaid ?? 0),
      onState: (state: ConnectionState) => state.kind === "reconnecting" && console.log(state.inMs),
      onServerError: (code, message) => console.log(code, message),
    },
  });
  await client.closed;
  const pets = await getCatalogue({ baseUrl });
  // @ts-expect-error a failed result has no pets
  if (!pets.ok) console.log(pets.pets);
  return `${current}: ${client.timeline.statuses.length} statuses`;
}

// @ts-expect-error the order is required
void placeOrder({ baseUrl: "" });
