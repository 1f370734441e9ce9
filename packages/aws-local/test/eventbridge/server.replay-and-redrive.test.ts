/**
 * What the operator commands use of the local EventBridge endpoint: `POST /dead-letters/redrive`,
 * and the archive with StartReplay/DescribeReplay driven by the real `@aws-sdk/client-eventbridge`.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  DescribeReplayCommand,
  EventBridgeClient,
  PutEventsCommand,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { EVENT_SOURCE, RETRY_POLICY, STATUS_PATTERN, statusEntry } from "../support/fixtures";
import {
  archiveArn,
  eventBusArn,
  startEventBridgeEndpoint,
  type EventBridgeEvent,
  type EventBridgeEndpointOptions,
} from "@awsomepets/aws-local/eventbridge/server";

const BUS = "orders";
const ARCHIVE = "orders-archive";
const ARNS = {
  archive: archiveArn({ region: "us-east-1", account: "000000000000" }, ARCHIVE),
  bus: eventBusArn({ region: "us-east-1", account: "000000000000" }, BUS),
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An endpoint whose clock the test sets, and whose one target fails while `state.failing`. */
async function start(options: Partial<EventBridgeEndpointOptions> = {}) {
  const state = { failing: false, now: new Date("2026-11-26T10:00:00.000Z") };
  const received: EventBridgeEvent[] = [];
  const endpoint = await startEventBridgeEndpoint({
    buses: [BUS],
    rules: [
      {
        name: "ToCallback",
        busName: BUS,
        pattern: STATUS_PATTERN,
        retryPolicy: { ...RETRY_POLICY, retryAttempts: 1 },
        target: async (event) => {
          if (state.failing) throw new Error("target down");
          received.push(event);
        },
      },
    ],
    archives: [{ name: ARCHIVE, busName: BUS, pattern: { source: [EVENT_SOURCE] } }],
    retryBaseDelayMs: 1,
    now: () => state.now,
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
  const publish = async (orderId: string, at: string) => {
    state.now = new Date(at);
    await client.send(
      new PutEventsCommand({ Entries: [statusEntry({ orderId, status: "paid", occurredAt: at }, BUS)] }),
    );
    await endpoint.idle();
  };
  const replay = (name: string, from: string, to: string, destination = ARNS.bus) =>
    client.send(
      new StartReplayCommand({
        ReplayName: name,
        EventSourceArn: ARNS.archive,
        EventStartTime: new Date(from),
        EventEndTime: new Date(to),
        Destination: { Arn: destination },
      }),
    );
  return { endpoint, client, received, state, publish, replay };
}

const orderIds = (events: EventBridgeEvent[]) => events.map((e) => e.detail.orderId);

describe("POST /dead-letters/redrive", () => {
  it("sends each dead letter to its rule's target again and removes it from the log", async () => {
    // Prepare: one event dead-lettered
    const { endpoint, received, state, publish } = await start();
    state.failing = true;
    await publish("order-1", "2026-11-26T10:00:00.000Z");
    state.failing = false;
    expect(endpoint.deadLetters()).toHaveLength(1);
    // Act
    const response = await fetch(`${endpoint.url}/dead-letters/redrive`, { method: "POST" });
    const body = (await response.json()) as { redriven: Array<{ ruleName: string; event: EventBridgeEvent }> };
    await endpoint.idle();
    // Assess
    expect(response.status).toBe(200);
    expect(body.redriven.map((d) => [d.ruleName, d.event.detail.orderId])).toEqual([["ToCallback", "order-1"]]);
    expect(orderIds(received)).toEqual(["order-1"]);
    expect(await (await fetch(`${endpoint.url}/dead-letters`)).json()).toEqual([]);
  });

  it("dead-letters again what still fails", async () => {
    const { endpoint, state, publish } = await start();
    state.failing = true;
    await publish("order-1", "2026-11-26T10:00:00.000Z");
    await fetch(`${endpoint.url}/dead-letters/redrive`, { method: "POST" });
    await endpoint.idle();
    expect(endpoint.deadLetters().map((d) => d.event.detail.orderId)).toEqual(["order-1"]);
  });
});

describe("archive and replay", () => {
  it("replays the events received in [start, end) with a replay-name, and describes the replay", async () => {
    // Prepare: three events at 10:00, 10:05, 10:10
    const { client, endpoint, received, publish, replay } = await start();
    await publish("order-1", "2026-11-26T10:00:00.000Z");
    await publish("order-2", "2026-11-26T10:05:00.000Z");
    await publish("order-3", "2026-11-26T10:10:00.000Z");
    received.length = 0;
    // Act
    const started = await replay("r1", "2026-11-26T10:01:00Z", "2026-11-26T10:10:00Z");
    await endpoint.idle();
    const described = await client.send(new DescribeReplayCommand({ ReplayName: "r1" }));
    // Assess
    expect(started).toMatchObject({ ReplayArn: "arn:aws:events:us-east-1:000000000000:replay/r1", State: "COMPLETED" });
    expect(orderIds(received)).toEqual(["order-2"]);
    expect(received[0]).toMatchObject({ "replay-name": "r1" });
    expect(described).toMatchObject({
      ReplayName: "r1",
      State: "COMPLETED",
      EventSourceArn: ARNS.archive,
      Destination: { Arn: ARNS.bus },
      EventStartTime: new Date("2026-11-26T10:01:00Z"),
      EventEndTime: new Date("2026-11-26T10:10:00Z"),
    });
  });

  it("does not archive replayed events again, and keeps only the newest maxArchivedEvents", async () => {
    const { endpoint, received, publish, replay } = await start({ maxArchivedEvents: 2 });
    await publish("order-1", "2026-11-26T10:00:00.000Z");
    await publish("order-2", "2026-11-26T10:01:00.000Z");
    await publish("order-3", "2026-11-26T10:02:00.000Z");
    received.length = 0;
    await replay("first", "2026-11-26T09:00:00Z", "2026-11-26T11:00:00Z");
    await replay("second", "2026-11-26T09:00:00Z", "2026-11-26T11:00:00Z");
    await endpoint.idle();
    expect(orderIds(received)).toEqual(["order-2", "order-3", "order-2", "order-3"]);
  });

  it("journals a replayed delivery apart from the original's (same event id, as on AWS)", async () => {
    const ids: string[] = [];
    const journal = { put: (id: string) => void ids.push(id), remove: () => {}, list: () => [] };
    const { received, publish, replay, endpoint } = await start({ journal });
    await publish("order-1", "2026-11-26T10:00:00.000Z");
    await replay("again", "2026-11-26T09:00:00Z", "2026-11-26T11:00:00Z");
    await endpoint.idle();
    const eventId = received[0]!.id;
    expect(received.map((e) => e.id)).toEqual([eventId, eventId]);
    expect(ids).toEqual([`${eventId}/ToCallback`, `${eventId}/again/ToCallback`]);
  });

  it("answers AWS's errors: existing name, unknown archive or replay, another bus, an empty range", async () => {
    const { client, replay } = await start();
    await replay("taken", "2026-11-26T09:00:00Z", "2026-11-26T09:30:00Z");
    const error = (promise: Promise<unknown>) =>
      promise.then(
        () => "no error",
        (e: Error) => e.name,
      );
    expect(await error(replay("taken", "2026-11-26T09:00:00Z", "2026-11-26T09:30:00Z"))).toBe(
      "ResourceAlreadyExistsException",
    );
    expect(
      await error(
        client.send(
          new StartReplayCommand({
            ReplayName: "x",
            EventSourceArn: `${ARNS.archive}-nope`,
            EventStartTime: new Date(0),
            EventEndTime: new Date(),
            Destination: { Arn: ARNS.bus },
          }),
        ),
      ),
    ).toBe("ResourceNotFoundException");
    expect(await error(replay("y", "2026-11-26T09:00:00Z", "2026-11-26T09:30:00Z", `${ARNS.bus}-other`))).toBe(
      "ValidationException",
    );
    expect(await error(replay("z", "2026-11-26T09:30:00Z", "2026-11-26T09:00:00Z"))).toBe("ValidationException");
    expect(await error(client.send(new DescribeReplayCommand({ ReplayName: "never" })))).toBe(
      "ResourceNotFoundException",
    );
  });
});
