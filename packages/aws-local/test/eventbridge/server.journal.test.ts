/** Deliveries written down until done and sent again by a new endpoint; dead letters kept within a bound. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { directoryJournal } from "@awsomepets/aws-local/journal";
import {
  startEventBridgeEndpoint,
  type EventBridgeEndpointOptions,
  type EventBridgeEvent,
  type EventRule,
  type JournalDelivery,
} from "@awsomepets/aws-local/eventbridge/server";
import { RETRY_POLICY, STATUS_PATTERN, statusEntry } from "../support/fixtures";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  target: EventRule["target"],
  options: Partial<EventBridgeEndpointOptions> = {},
  retryPolicy = RETRY_POLICY,
) {
  const endpoint = await startEventBridgeEndpoint({
    buses: ["orders"],
    rules: [{ name: "ToTarget", busName: "orders", pattern: STATUS_PATTERN, target, retryPolicy }],
    ...options,
  });
  cleanups.push(() => endpoint.close());
  const client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "l", secretAccessKey: "l" },
    maxAttempts: 1,
  });
  cleanups.push(() => client.destroy());
  const put = (orderId: string) =>
    client.send(
      new PutEventsCommand({
        Entries: [statusEntry({ orderId, status: "paid", occurredAt: "2026-11-26T10:00:00.000Z" }, "orders")],
      }),
    );
  return { endpoint, put };
}

it("sends again, from the journal, a delivery a stopped endpoint had not completed", async () => {
  // Prepare: the first endpoint's target fails, and the retry waits past its close
  const dir = mkdtempSync(path.join(tmpdir(), "eb-journal-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const first = await start(async () => Promise.reject(new Error("down")), {
    journal: directoryJournal<JournalDelivery>(dir),
    retryBaseDelayMs: 60_000,
  });
  await first.put("o-1");
  await new Promise((resolve) => setTimeout(resolve, 50));
  await first.endpoint.close();
  expect(directoryJournal<JournalDelivery>(dir).list()).toHaveLength(1);

  // Act
  const received: EventBridgeEvent[] = [];
  const second = await start(async (event) => void received.push(event), {
    journal: directoryJournal<JournalDelivery>(dir),
  });
  const count = second.endpoint.redeliverJournaled();
  await second.endpoint.idle();

  // Assess
  expect(count).toBe(1);
  expect(received.map((event) => event.detail.orderId)).toEqual(["o-1"]);
  expect(directoryJournal<JournalDelivery>(dir).list()).toEqual([]);
});

it("keeps at most maxDeadLetters dead letters, the newest", async () => {
  // Prepare
  const { endpoint, put } = await start(
    async () => Promise.reject(new Error("down")),
    { maxDeadLetters: 2 },
    { retryAttempts: 0, maximumEventAgeSeconds: 60 },
  );
  // Act
  for (const orderId of ["o-1", "o-2", "o-3", "o-4", "o-5"]) await put(orderId);
  await endpoint.idle();
  // Assess
  expect(endpoint.deadLetters().map((letter) => letter.event.detail.orderId)).toEqual(["o-4", "o-5"]);
});
