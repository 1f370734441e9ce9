/**
 * fanout_1000_ms: one status to 1,000 synced connections, from PutEvents sent until the last
 * connection has its frame. An order may have at most `MAX_SOCKETS` sockets (the most a deploy
 * allows, core's tunables), so the 1,000 are the sockets of ceil(1,000 / MAX_SOCKETS) orders, and
 * each round publishes one status to every order at once. A first round warms the callback's
 * environments up; then three statuses in turn, and the median is the figure.
 */
import { randomUUID } from "node:crypto";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { createPublisher, orderStatuses } from "../lib/publisher";
import { closeAll, openSyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { median, round } from "../lib/stats";
import { inPool, waitUntil } from "../lib/wait";

export const MAX_SOCKETS = Tunables.TUNABLES.maxConnectionsPerOrder.max;
/** PutEvents takes at most 10 entries. */
const PUT_EVENTS_MAX_ENTRIES = 10;

export async function measureFanout(runtime: BenchRuntime, options = { connections: 1000, rounds: 3 }) {
  const orderIds = Array.from({ length: Math.ceil(options.connections / MAX_SOCKETS) }, () => randomUUID());
  // Per status, each socket's first frame of it: a delivery EventBridge retries posts to every
  // socket of its order again (at least once, as on AWS), so frames can outnumber the sockets.
  const arrivals = new Map<string, Map<number, number>>();
  // Five at a time, round-robin over the orders: every $connect of one order updates that order's
  // one item (optimistic, retried), and the set-up is not what this measures.
  const sockets = await inPool(
    Array.from({ length: options.connections }, (_, i) => orderIds[i % orderIds.length]!),
    5,
    (orderId, socket) =>
      openSyncedSocket(
        runtime.state.endpoints.websocket,
        orderId,
        (frame, receivedAt) => {
          const received = frame.type === "status" ? arrivals.get(frame.status) : undefined;
          if (received && !received.has(socket)) received.set(socket, receivedAt);
        },
        runtime.variant,
      ),
  );
  const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
  try {
    const rounds: Array<{ last_ms: number; first_ms: number }> = [];
    // Round 0 warms up, unmeasured: one status to every order at once starts as many callback
    // environments as the runtime allows, each a cold start (a worker thread loading its modules).
    const details = orderIds.map((orderId) => orderStatuses(orderId, options.rounds + 1, Date.UTC(2026, 10, 26)));
    for (let k = 0; k <= options.rounds; k++) {
      const round_ = details.map((d) => d[k]!);
      const received = new Map<number, number>();
      arrivals.set(round_[0]!.status, received);
      const sentAt = performance.now();
      const batches = Array.from({ length: Math.ceil(round_.length / PUT_EVENTS_MAX_ENTRIES) }, (_, b) =>
        round_.slice(b * PUT_EVENTS_MAX_ENTRIES, (b + 1) * PUT_EVENTS_MAX_ENTRIES),
      );
      for (const batch of batches) await publisher.publish(batch);
      await waitUntil(
        () => received.size === options.connections,
        k === 0 ? 600_000 : 120_000,
        () => `${options.connections} sockets' frame of ${round_[0]!.status} (got ${received.size})`,
      );
      await runtime.idle();
      if (k === 0) continue;
      rounds.push({
        first_ms: round(Math.min(...received.values()) - sentAt),
        last_ms: round(Math.max(...received.values()) - sentAt),
      });
    }
    return { ms: median(rounds.map((r) => r.last_ms)), rounds };
  } finally {
    publisher.close();
    await closeAll(sockets);
  }
}
