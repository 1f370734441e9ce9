/**
 * dynamodb_requests_per_status: DynamoDB requests (the runtime's counter) per delivered status, with
 * 0, 1 and the most a deploy may allow (`MAX_SOCKETS`) synced connections on each order (0: the status is recorded and
 * marked pending). Ten orders, five statuses each, published one
 * round at a time (status k of every order) so that no two statuses of an order race for a seq.
 * Both rules count: the callback and the projection (which finds no OrdersTbl row for these orders).
 */
import { randomUUID } from "node:crypto";
import { createPublisher, orderStatuses } from "../lib/publisher";
import { closeAll, openSyncedSocket } from "../lib/order-socket";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import { inPool, waitUntil } from "../lib/wait";
import { MAX_SOCKETS } from "./fanout";

const ORDERS = 10;
const STATUSES = 5;

async function requestsPerStatus(runtime: BenchRuntime, connectionsPerOrder: number) {
  const orderIds = Array.from({ length: ORDERS }, () => randomUUID());
  let frames = 0;
  const sockets = await inPool(
    // Round-robin over the orders, so that the 25 concurrent $connects do not all update one order's item.
    Array.from({ length: connectionsPerOrder }, () => orderIds).flat(),
    25,
    (orderId) =>
      openSyncedSocket(
        runtime.state.endpoints.websocket,
        orderId,
        (frame) => void (frame.type === "status" && frames++),
        runtime.variant,
      ),
  );
  const publisher = createPublisher(runtime.state.endpoints.events, runtime.state.eventBusName);
  try {
    await runtime.idle();
    const before = (await runtime.counters()).dynamodbRequests;
    const details = orderIds.map((id) => orderStatuses(id, STATUSES, Date.UTC(2026, 10, 26)));
    for (let k = 0; k < STATUSES; k++) {
      await publisher.publish(details.map((d) => d[k]!));
      const expected = (k + 1) * ORDERS * connectionsPerOrder;
      await waitUntil(
        () => frames >= expected,
        60_000,
        () => `${expected} frames (got ${frames})`,
      );
      await runtime.idle();
    }
    const after = (await runtime.counters()).dynamodbRequests;
    // The counter's own IPC round trips issue no DynamoDB requests.
    return round((after - before) / (ORDERS * STATUSES), 2);
  } finally {
    publisher.close();
    await closeAll(sockets);
  }
}

export async function measureDynamoDbRequests(runtime: BenchRuntime) {
  return {
    "0": await requestsPerStatus(runtime, 0),
    "1": await requestsPerStatus(runtime, 1),
    max: await requestsPerStatus(runtime, MAX_SOCKETS),
  };
}
