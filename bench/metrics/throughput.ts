/**
 * throughput_statuses_per_s: 500 orders placed at once through `POST /orders` (success path: four
 * statuses each, driven by the saga on the local Step Functions endpoint), each watched by one
 * client that connects when its POST answers; distinct (orderId, seq) frames per second, from the
 * first POST to the last new frame.
 */
import { closeAll, openSyncedSocket, type OrderSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import { inPool, waitUntil } from "../lib/wait";

const SUCCESS_ORDER = JSON.stringify({
  basket: [{ sku: "DOG-LAB", quantity: 1 }, { sku: "FSH-BET", quantity: 2 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});
const STATUSES_PER_ORDER = 4;

export async function measureThroughput(runtime: BenchRuntime, options = { orders: 500, postConcurrency: 50 }) {
  const seen = new Set<string>();
  let lastNewFrameAt = 0;
  const sockets: OrderSocket[] = [];
  const start = performance.now();
  try {
    await inPool(Array.from({ length: options.orders }), options.postConcurrency, async () => {
      const response = await fetch(`${runtime.state.endpoints.http}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: SUCCESS_ORDER });
      const placed = (await response.json()) as { orderId?: string; clientCallbackUrl?: string };
      if (response.status !== 202 || !placed.orderId) throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(placed)}`);
      sockets.push(
        await openSyncedSocket(runtime.state.endpoints.websocket, placed.orderId, (frame, receivedAt) => {
          if (frame.type !== "status" || seen.has(`${frame.orderId}#${frame.seq}`)) return;
          seen.add(`${frame.orderId}#${frame.seq}`);
          lastNewFrameAt = receivedAt;
        }),
      );
    });
    const expected = options.orders * STATUSES_PER_ORDER;
    await waitUntil(() => seen.size === expected, 180_000, `${expected} distinct statuses (got ${seen.size})`);
    await runtime.idle();
    const seconds = (lastNewFrameAt - start) / 1000;
    return { per_s: round(seen.size / seconds), statuses: seen.size, seconds: round(seconds, 2) };
  } finally {
    await closeAll(sockets);
  }
}
