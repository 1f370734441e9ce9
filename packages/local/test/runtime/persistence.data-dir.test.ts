/** `npm start --data-dir <dir>` keeps the tables across restarts: a status recorded before is synced after. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { expect, it } from "vitest";
import * as OrderStatus from "@awsomepets/core/status/event";
import { callbackUrl, newOrderId, openSocket, startTestRuntime } from "@test-support/local-runtime";

it("keeps an order's history in --data-dir across a restart", async () => {
  // Prepare: a first run records a status
  const dataDir = mkdtempSync(path.join(tmpdir(), "runtime-data-"));
  const orderId = newOrderId();
  try {
    const first = await startTestRuntime({ dataDir });
    const events = new EventBridgeClient({
      endpoint: first.state.endpoints.events,
      region: "us-east-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
    });
    await events.send(
      new PutEventsCommand({
        Entries: [
          OrderStatus.toPutEventsEntry(
            { orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
            first.state.eventBusName,
          ),
        ],
      }),
    );
    await first.events.idle();
    events.destroy();
    await first.close();
    // Act: a second run on the same folder. Same ports: the handler modules stay loaded in this
    // process with their clients, like a warm container, so they must find the endpoints again.
    const port = (url: string) => Number(new URL(url).port);
    const { endpoints } = first.state;
    const second = await startTestRuntime({
      dataDir,
      ports: {
        http: port(endpoints.http),
        websocket: port(endpoints.websocket),
        events: port(endpoints.events),
        stepfunctions: port(endpoints.stepfunctions),
        dynamodb: port(endpoints.dynamodb),
      },
    });
    try {
      const client = await openSocket(callbackUrl(second.state.endpoints.websocket, orderId));
      client.send({ action: "sync", orderId });
      // Assess
      expect((await client.next(2)).map((f) => f.status ?? f.type)).toEqual(["placed", "synced"]);
      client.close();
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
