/**
 * Publishes details in order, at most 10 per PutEvents, and prints one line per published event.
 * Stops at the first batch with a failed entry (later statuses would overtake the failed one).
 * `send` is injected: the command passes the EventBridge client, tests a stub.
 */
import { PutEventsCommand, type PutEventsCommandOutput } from "@aws-sdk/client-eventbridge";
import * as OrderStatus from "@awsomepets/core/status/event";
import { inBatches } from "./batches";
import { failedLine, publishedLine, readPutEventsResult } from "./put-events-result";

export type PutEventsSend = (
  command: PutEventsCommand,
) => Promise<Pick<PutEventsCommandOutput, "FailedEntryCount" | "Entries">>;

export async function publishDetails(input: {
  details: readonly OrderStatus.StatusRecord[];
  eventBusName: string;
  send: PutEventsSend;
  out: (line: string) => void;
  err: (line: string) => void;
}): Promise<boolean> {
  for (const batch of inBatches(input.details)) {
    const entries = batch.map((detail) => OrderStatus.toPutEventsEntry(detail, input.eventBusName));
    const output = await input.send(new PutEventsCommand({ Entries: entries }));
    const result = readPutEventsResult(batch, output);
    for (const event of result.published) input.out(publishedLine(event));
    for (const event of result.failed) input.err(failedLine(event));
    if (!result.ok) {
      if (result.failed.length === 0) input.err(`EventBridge reported ${output.FailedEntryCount} failed entries`);
      return false;
    }
  }
  return true;
}
