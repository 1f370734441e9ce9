/**
 * OrderStatusProjectionFunction's failures: an invalid event fails (for its retry policy to
 * dead-letter), and a DynamoDB that never answers is cut at the invocation's deadline rather than
 * holding the function until Lambda kills it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as Topology from "@awsomepets/core/platform/topology";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusEvent } from "../support/events";
import * as Deadline from "@awsomepets/core/platform/deadline";
import { lambdaContext } from "../support/lambda-context";

let hanging: Server;
let handler: (event: unknown, context?: any) => Promise<unknown>;
const saved = { ...process.env };

beforeAll(async () => {
  // A DynamoDB endpoint that reads every request and answers none.
  hanging = createServer((req) => req.resume());
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
    [Topology.ENV.ordersTable]: "OrdersTbl",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  handler = (await import("../../src/events/order-status-projection")).handler;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
  process.env = saved;
});

describe("OrderStatusProjectionFunction", () => {
  it("fails an invalid event, naming the fields, for its retry policy to dead-letter", async () => {
    const event = statusEvent({ orderId: randomUUID(), status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });

    const invocation = handler({ ...event, detail: { ...event.detail, status: "shipped" } });

    await expect(invocation).rejects.toMatchObject({
      name: "InvalidStatusEventError",
      message: expect.stringContaining("detail.status"),
    });
  });

  it("gives up on a DynamoDB that does not answer at the invocation's deadline, and fails for a retry", async () => {
    const event = statusEvent({ orderId: randomUUID(), status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });

    const invocation = handler(
      event,
      lambdaContext("OrderStatusProjectionFunction", Deadline.DEADLINE_RESERVE_MS + 300),
    );

    await expect(invocation).rejects.toMatchObject({ name: "AbortError" });
  });
});
