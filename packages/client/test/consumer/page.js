// A plain page's script: the installed package's ES module, loaded by the browser as it is.
import { placeOrder, watchOrder } from "./node_modules/@awsomepets/client/dist/index.js";

const out = document.querySelector("#out");
const placed = await placeOrder({
  baseUrl: "",
  order: {
    basket: [{ sku: "DOG-LAB", quantity: 1 }],
    paymentDetail: { cardToken: "tok_visa" },
    shippingAddress: { name: "Ana", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
  },
});
if (!placed.ok) {
  out.textContent = `Not placed: ${placed.problem.message}`;
} else {
  const client = watchOrder({
    url: placed.order.clientCallbackUrl,
    lingerMs: 200,
    events: {
      onStatus: () => {
        out.textContent = client.timeline.statuses.map((s) => s.status).join(", ");
      },
      onFinished: () => {
        out.dataset.finished = "true";
      },
    },
  });
}
