/**
 * fanout_1000_ms: one status to 1,000 synced connections of one order, from PutEvents sent until the
 * last connection has its frame. Three statuses in turn; the median is the figure.
 */
import { randomUUID } from "node:crypto";
import { createPublisher, orderStatuses } from "../lib/publisher";
import { closeAll, openSyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { median, round } from "../lib/stats";
import { inPool, waitUntil } from "../lib/wait";

export async function measureFanout(runtime: BenchRuntime, options = { connections: 1000, rounds: 3 }) {
  const orderId = randomUUID();
  const arrivals = new Map<string, number[]>();
  // Five at a time: every $connect of one order updates that order's one item (optimistic, retried),
  // and the set-up is not what this measures.
  const sockets = await inPool(Array.from({ length: options.connections }), 5, () =>
    openSyncedSocket(runtime.state.endpoints.websocket, orderId, (frame, receivedAt) => {
      if (frame.type === "status") arrivals.get(frame.status)?.push(receivedAt);
    }, runtime.variant),
  );
  const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
  try {
    const rounds: Array<{ last_ms: number; first_ms: number }> = [];
    for (const detail of orderStatuses(orderId, options.rounds, Date.UTC(2026, 10, 26))) {
      const received: number[] = [];
      arrivals.set(detail.status, received);
      const sentAt = performance.now();
      await publisher.publish([detail]);
      await waitUntil(() => received.length === options.connections, 120_000, `${options.connections} frames of ${detail.status} (got ${received.length})`);
      rounds.push({ first_ms: round(Math.min(...received) - sentAt), last_ms: round(Math.max(...received) - sentAt) });
      await runtime.idle();
    }
    return { ms: median(rounds.map((r) => r.last_ms)), rounds };
  } finally {
    publisher.close();
    await closeAll(sockets);
  }
}
