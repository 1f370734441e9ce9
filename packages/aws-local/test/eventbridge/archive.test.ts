/** An archive is bounded by count: past its cap the oldest events go, the newest stay, in order. */
import { expect, it } from "vitest";
import { DEFAULT_MAX_ARCHIVED_EVENTS, EventArchive } from "../../src/eventbridge/archive";
import type { EventBridgeEvent } from "../../src/eventbridge/event-envelope";

const event = (n: number): EventBridgeEvent => ({
  version: "0",
  id: `event-${n}`,
  "detail-type": "Order Status Changed",
  source: "test.orders",
  account: "000000000000",
  time: new Date(n * 1000).toISOString(),
  region: "us-east-1",
  resources: [],
  detail: { n },
});

it("keeps the newest maxEvents events, oldest dropped first", () => {
  // Prepare
  const archive = new EventArchive({ name: "a", busName: "bus" }, 3);
  // Act
  for (let n = 1; n <= 5; n++) archive.offer("bus", event(n), new Date(n * 1000));
  // Assert
  expect(archive.between(new Date(0), new Date(10_000)).map(({ event }) => event.id)).toEqual([
    "event-3",
    "event-4",
    "event-5",
  ]);
});

it("is bounded by default: a working day's events do not pile up", () => {
  // Prepare
  const archive = new EventArchive({ name: "a", busName: "bus" });
  // Act
  for (let n = 1; n <= DEFAULT_MAX_ARCHIVED_EVENTS + 50; n++) archive.offer("bus", event(n), new Date(n));
  // Assert
  const kept = archive.between(new Date(0), new Date(Number.MAX_SAFE_INTEGER / 2));
  expect(kept).toHaveLength(DEFAULT_MAX_ARCHIVED_EVENTS);
  expect(kept[0]!.event.id).toBe("event-51");
  expect(kept.at(-1)!.event.id).toBe(`event-${DEFAULT_MAX_ARCHIVED_EVENTS + 50}`);
});
