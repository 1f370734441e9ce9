/**
 * What both chaos runs share, all drawn from the seed: the orders and their statuses, every status
 * published 1–3 times in shuffled batches with pauses, each client's churn, and the final check that
 * every client holds exactly its order's statuses.
 *
 * Orders come in waves of WAVE_ORDERS, as a shop's do: a wave's statuses are shuffled together and
 * published, and its clients churn from just before its first batch until the wave after next starts
 * (the last waves until the run stops them). So about two waves' clients churn at once, however many
 * orders the run has: with all 2,600 churning from the start, their thousands of sessions a second
 * starved the deliveries on this 2-core machine and the run outgrew its budget (23 min, 2026-12-07).
 */
import * as OrderStatus from "@awsomepets/core/status/event";
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { expect } from "vitest";
import { ChaosClient, type SessionKind } from "./chaos-client";
import { createPrng, type Prng } from "./prng";
import { sagaDetails } from "./saga-paths";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type ChaosOrder = {
  orderId: string;
  details: OrderStatus.StatusRecord[];
  client: ChaosClient;
  unpublished: number;
};

/** Orders per wave: statuses are shuffled within a wave, and about two waves' clients churn at once. */
export const WAVE_ORDERS = 100;

export function chaosScenario(input: {
  seed: number;
  orders: number;
  busName: string;
  callbackUrl: (orderId: string) => string;
}) {
  const prng = createPrng(input.seed);
  const orders: ChaosOrder[] = Array.from({ length: input.orders }, (_, index) => {
    const orderId = prng.uuid();
    const details = sagaDetails(prng, orderId, Date.UTC(2026, 10, 26, 10) + index * 10_000);
    const client = new ChaosClient(`order-${index}`, orderId, input.callbackUrl(orderId));
    return { orderId, details, client, unpublished: 0 };
  });
  const byOrder = new Map(orders.map((order) => [order.orderId, order]));
  const entries: PutEventsRequestEntry[] = [];
  const batches: PutEventsRequestEntry[][] = [];
  /** The first batch of each wave, in wave order. */
  const waveStarts: number[] = [];
  for (let first = 0; first < orders.length; first += WAVE_ORDERS) {
    const wave = prng.shuffle(
      orders.slice(first, first + WAVE_ORDERS).flatMap((order) =>
        order.details.flatMap((detail) => {
          const copies = prng.int(1, 3);
          order.unpublished += copies;
          return Array.from({ length: copies }, () => OrderStatus.toPutEventsEntry(detail, input.busName));
        }),
      ),
    );
    entries.push(...wave);
    waveStarts.push(batches.length);
    for (let i = 0; i < wave.length; ) {
      const size = prng.int(1, 10);
      batches.push(wave.slice(i, i + size));
      i += size;
    }
  }
  const pauses = batches.map(() => prng.int(20, 120));
  const clientStreams = orders.map((_, index) => createPrng(input.seed + 1 + index));
  /** Marks a batch's entries as published (the killer picks only orders with statuses still to come). */
  const published = (batch: PutEventsRequestEntry[]) => {
    for (const entry of batch) byOrder.get(JSON.parse(entry.Detail!).orderId)!.unpublished--;
  };
  return { orders, entries, batches, pauses, clientStreams, published, waveStarts };
}

/**
 * Every client's churn, wave by wave: call `beforeBatch(index)` before publishing each batch (a wave's
 * first starts its clients; it also stops the clients of the wave before the one before), and
 * `stop()` at the end, which stops every client still churning and resolves once all have.
 */
export function churnInWaves(
  scenario: Pick<ReturnType<typeof chaosScenario>, "orders" | "clientStreams" | "waveStarts">,
) {
  const { orders, clientStreams, waveStarts } = scenario;
  const stopped: boolean[] = [];
  let stopAll = false;
  const churning: Promise<void>[] = [];
  return {
    beforeBatch(index: number) {
      const wave = waveStarts.indexOf(index);
      if (wave < 0) return;
      if (wave >= 2) stopped[wave - 2] = true;
      for (let i = wave * WAVE_ORDERS; i < Math.min(orders.length, (wave + 1) * WAVE_ORDERS); i++)
        churning.push(churn(orders[i]!.client, clientStreams[i]!, () => stopAll || stopped[wave] === true));
    },
    async stop() {
      stopAll = true;
      await Promise.all(churning);
    },
  };
}

/**
 * A client's behaviour until `stopped()`: sessions of random kinds with random pauses between them.
 * While the server cannot be reached (a crashed runtime) it backs off, 250 ms doubling to 4 s, as the
 * page does, rather than hammering the port (no draw from the stream: the scenario stays replayable).
 */
export async function churn(client: ChaosClient, prng: Prng, stopped: () => boolean) {
  let backoffMs = 0;
  for (let round = 0; round < 500 && !stopped(); round++) {
    const roll = prng.next();
    const kind: SessionKind = roll < 0.15 ? "abort-during-connect" : roll < 0.3 ? "close-before-sync" : "sync-and-stay";
    const delayMs =
      kind === "abort-during-connect"
        ? prng.int(0, 15)
        : kind === "close-before-sync"
          ? prng.int(0, 60)
          : prng.int(100, 1500);
    const { unreachable } = await client.session(kind, delayMs);
    backoffMs = unreachable ? Math.min(Math.max(backoffMs * 2, 250), 4_000) : 0;
    await sleep(prng.int(0, 300) + backoffMs);
  }
}

/** Every client holds exactly its order's statuses: none lost, none twice, no gap, in occurrence order. */
export function expectExactTimelines(orders: readonly ChaosOrder[]) {
  expect(orders.flatMap((o) => o.client.anomalies.map((a) => `${o.client.name}: ${a}`))).toEqual([]);
  for (const order of orders) {
    const timeline = order.client.timeline;
    expect({
      order: order.client.name,
      statuses: timeline.statuses.map((s) => s.status),
      cursor: timeline.cursor,
    }).toEqual({
      order: order.client.name,
      statuses: order.details.map((d) => d.status),
      cursor: order.details.length,
    });
    expect(timeline.statuses.map((s) => s.occurredAt)).toEqual(order.details.map((d) => d.occurredAt));
  }
}
