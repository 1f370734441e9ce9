/**
 * latency_ms: PutEvents sent → the status frame at the order's one connected client, for every event
 * of a steady stream (each event a new status of some order, so each is delivered exactly once).
 * Measured from just before the PutEvents call, so it includes PutEvents' own round trip: an upper
 * bound on "accepted → received". 50/s, not 100/s: on the 2-core reference machine the runtime
 * delivers about 65 statuses/s, so at 100/s a queue builds and the figure measures the queue
 * (p50 4.6 s, p99 7.1 s on 2026-11-26).
 */
import { randomUUID } from "node:crypto";
import { createPublisher, orderStatuses } from "../lib/publisher";
import { closeAll, openSyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { percentile, round } from "../lib/stats";
import { inPool, sleep, waitUntil } from "../lib/wait";

export async function measureLatency(
  runtime: BenchRuntime,
  options = { orders: 400, statusesPerOrder: 5, perSecond: 50 },
) {
  const { websocket, events } = runtime.state.endpoints;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const orderIds = Array.from({ length: options.orders }, () => randomUUID());
  const sockets = await inPool(orderIds, 20, (orderId) =>
    openSyncedSocket(
      websocket,
      orderId,
      (frame, receivedAt) => {
        if (frame.type !== "status") return;
        const key = `${frame.orderId}/${frame.status}`;
        const started = sentAt.get(key);
        if (started === undefined) return;
        latencies.push(receivedAt - started);
        sentAt.delete(key);
      },
      runtime.variant,
    ),
  );
  const publisher = createPublisher(events, runtime.state.eventBusName);
  try {
    // Round-robin over the orders: status k of every order before status k + 1 of any.
    const details = orderIds.map((id) => orderStatuses(id, options.statusesPerOrder, Date.UTC(2026, 10, 26)));
    const stream = Array.from({ length: options.statusesPerOrder }, (_, k) => details.map((d) => d[k]!)).flat();
    const intervalMs = 1000 / options.perSecond;
    const start = performance.now();
    const sends: Promise<void>[] = [];
    for (const [i, detail] of stream.entries()) {
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt.set(`${detail.orderId}/${detail.status}`, performance.now());
      sends.push(publisher.publish([detail]));
    }
    await Promise.all(sends);
    await waitUntil(
      () => latencies.length === stream.length,
      60_000,
      () => `${stream.length} status frames (got ${latencies.length})`,
    );
    const elapsedS = (performance.now() - start) / 1000;
    await runtime.idle();
    return {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      events: stream.length,
      offered_per_s: options.perSecond,
      achieved_per_s: round(stream.length / elapsedS),
    };
  } finally {
    publisher.close();
    await closeAll(sockets);
  }
}
