/**
 * A target that keeps failing is retried by the rule's retry policy and then dead-lettered. The
 * failure is real: the callback handler cannot reach its table, which this test deletes.
 */
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import * as OrderStatus from "@awsomepets/core/status/event";
import { newOrderId, startTestRuntime } from "@test-support/local-runtime";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime.close());

it("retries a failing callback 1 + retryAttempts times, then lists it as a dead letter", async () => {
  // Prepare: the handler's table disappears
  const dynamodb = new DynamoDBClient({ endpoint: runtime.state.endpoints.dynamodb, region: "us-east-1", credentials });
  await dynamodb.send(new DeleteTableCommand({ TableName: "test-awsomepets-callbacks-ClientCallbackTbl" }));
  dynamodb.destroy();
  const events = new EventBridgeClient({ endpoint: runtime.state.endpoints.events, region: "us-east-1", credentials });
  const orderId = newOrderId();
  // Act
  await events.send(
    new PutEventsCommand({
      Entries: [
        OrderStatus.toPutEventsEntry(
          { orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" },
          runtime.state.eventBusName,
        ),
      ],
    }),
  );
  await runtime.events.idle();
  events.destroy();
  // Assess
  const attempts = 1 + Topology.STATUS_TARGET_RETRY_POLICY.retryAttempts;
  const deadLetters = runtime.events.deadLetters();
  expect(deadLetters).toHaveLength(1);
  expect(deadLetters[0]).toMatchObject({ ruleName: "OrderStatusToCallback", attempts, event: { detail: { orderId } } });
  expect(runtime.records.filter((r) => r.message === "retry" && r.orderId === orderId)).toHaveLength(attempts - 1);
  const listed = await (await fetch(`${runtime.state.endpoints.events}/dead-letters`)).json();
  expect(JSON.stringify(listed)).toContain(orderId);
});
