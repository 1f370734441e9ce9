// A Node 22 consumer: places an order with the installed package and follows it to its end.
// Usage: node follow-order.mjs <order API URL>; prints {"orderId", "statuses", "seqs"} as JSON.
import { placeOrder, watchOrder } from "@awsomepets/client";

const placed = await placeOrder({
  baseUrl: process.argv[2],
  order: {
    basket: [{ sku: "DOG-LAB", quantity: 1 }],
    paymentDetail: { cardToken: "tok_visa" },
    shippingAddress: { name: "Ana", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
  },
});
if (!placed.ok) {
  console.error(`not placed: ${placed.status} ${placed.problem.message}`);
  process.exit(1);
}
const client = watchOrder({
  url: placed.order.clientCallbackUrl,
  lingerMs: 200,
  events: { onOpenFailed: (n) => n > 3 && client.stop() },
});
await client.closed;
const { statuses } = client.timeline;
console.log(
  JSON.stringify({
    orderId: placed.order.orderId,
    statuses: statuses.map((s) => s.status),
    seqs: statuses.map((s) => s.seq),
  }),
);
