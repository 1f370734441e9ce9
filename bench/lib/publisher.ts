/** Publishes statuses to the runtime's bus through the real EventBridge client, as the saga would. */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";
import * as OrderStatus from "@awsomepets/core/status/event";

export function createPublisher(endpoint: string, busName: string) {
  const client = new EventBridgeClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    // The default 50 sockets would queue a steady 100/s publisher behind slow answers.
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) }),
  });
  return {
    async publish(details: readonly OrderStatus.StatusRecord[]) {
      const result = await client.send(
        new PutEventsCommand({ Entries: details.map((d) => OrderStatus.toPutEventsEntry(d, busName)) }),
      );
      if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
    },
    close: () => client.destroy(),
  };
}

/** Distinct statuses of one order, `count` of them (an order has at most seven). */
export function orderStatuses(orderId: string, count: number, startMs: number): OrderStatus.StatusRecord[] {
  return OrderStatus.STATUSES.slice(0, count).map((status, i) => ({
    orderId,
    status,
    occurredAt: new Date(startMs + i * 1000).toISOString(),
  }));
}
