/**
 * throughput_statuses_per_s: 500 orders placed at once through `POST /orders` (success path: four
 * statuses each, driven by the saga on the local Step Functions endpoint), each watched by one
 * client that connects when its POST answers; distinct (orderId, status) frames per second, from the
 * first POST to the last new frame. Ours must deliver every status; the seed loses the ones published
 * while its client connects (its pending rows are read only once, at the client's first message), so
 * for it the run ends when the runtime is idle and no new frame came for QUIET_MS; `lost` says how many.
 */
import { closeAll, openSyncedSocket, type SyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import { inPool, sleep, waitUntil } from "../lib/wait";

export const SUCCESS_ORDER = JSON.stringify({
  basket: [
    { sku: "DOG-LAB", quantity: 1 },
    { sku: "FSH-BET", quantity: 2 },
  ],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});
const STATUSES_PER_ORDER = 4;
const QUIET_MS = 3_000;

export async function measureThroughput(runtime: BenchRuntime, options = { orders: 500, postConcurrency: 50 }) {
  const seen = new Set<string>();
  let lastNewFrameAt = 0;
  const sockets: SyncedSocket[] = [];
  const start = performance.now();
  try {
    await inPool(Array.from({ length: options.orders }), options.postConcurrency, async () => {
      const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: SUCCESS_ORDER,
      });
      const placed = (await response.json()) as { orderId?: string; clientCallbackUrl?: string };
      if (response.status !== 202 || !placed.orderId)
        throw new Error(`POST /orders answered ${response.status}: ${JSON.stringify(placed)}`);
      sockets.push(
        await openSyncedSocket(
          runtime.state.endpoints.websocket,
          placed.orderId,
          (frame, receivedAt) => {
            if (frame.type !== "status" || seen.has(`${frame.orderId}#${frame.status}`)) return;
            seen.add(`${frame.orderId}#${frame.status}`);
            lastNewFrameAt = receivedAt;
          },
          runtime.variant,
        ),
      );
    });
    const expected = options.orders * STATUSES_PER_ORDER;
    if (runtime.variant === "ours") {
      await waitUntil(
        () => seen.size === expected,
        180_000,
        () => `${expected} distinct statuses (got ${seen.size})`,
      );
      await runtime.idle();
    } else {
      await runtime.idle();
      while (seen.size < expected && performance.now() - lastNewFrameAt < QUIET_MS) await sleep(100);
    }
    const seconds = (lastNewFrameAt - start) / 1000;
    return {
      per_s: round(seen.size / seconds),
      statuses: seen.size,
      lost: expected - seen.size,
      seconds: round(seconds, 2),
    };
  } finally {
    await closeAll(sockets);
  }
}
