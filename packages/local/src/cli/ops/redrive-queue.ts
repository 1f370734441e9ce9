/**
 * Redrive of one SQS dead-letter queue into its function: each message's original event is sent to
 * the function as an asynchronous invocation (`InvocationType: "Event"`, so the function's retry
 * policy and its failure destination apply again), then the message is deleted. Every message not
 * deleted (not understood, a dry run's, or left by a failure) is made visible again at the end (it
 * was only hidden while the queue was read), so nothing else changes but SQS's receive count.
 * The clients are injected: the command passes the SDK's, tests a stub of AWS.
 */
import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { describeEvent, redrivable, redriveNote } from "./dead-letter-message";

/**
 * A client's `send`. The replies are unknown until cast to the SDK's output types below (tests answer
 * with stubs of AWS); the command is `any` because `send`'s generic signature takes one command class
 * at a time, so no union of the commands used here checks against it.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Send = (command: any) => Promise<unknown>;

export type QueueRedrive = { queueUrl: string; functionName: string };
export type RedriveCounts = { redriven: number; skipped: number };

/** Hidden from other readers while this run works through the queue. */
const VISIBILITY_TIMEOUT_SECONDS = 60;

export async function redriveQueue(
  options: QueueRedrive & { sqs: Send; lambda: Send; dryRun: boolean; out: (line: string) => void },
): Promise<RedriveCounts> {
  const { queueUrl, functionName, sqs, lambda, dryRun, out } = options;
  const counts: RedriveCounts = { redriven: 0, skipped: 0 };
  const seen = new Set<string>();
  /** Received and not deleted: made visible again at the end, whatever happens. */
  const held = new Map<string, Message>();
  try {
    for (;;) {
      const { Messages = [] } = (await sqs(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        }),
      )) as { Messages?: Message[] };
      const fresh = Messages.filter((m) => !seen.has(m.MessageId ?? ""));
      if (fresh.length === 0) break;
      for (const message of fresh) held.set(message.MessageId ?? "", message);
      for (const message of fresh) {
        seen.add(message.MessageId ?? "");
        const found = redrivable(message.Body);
        if (!found.ok) {
          out(`skipped ${message.MessageId} in ${queueUrl}: ${found.reason} (left in the queue)`);
          counts.skipped++;
          continue;
        }
        const what = `${functionName} ${describeEvent(found.event)} ${redriveNote(found.source, found.lastError)}`;
        if (dryRun) {
          out(`would redrive ${what}`);
          counts.redriven++;
          continue;
        }
        const result = (await lambda(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(JSON.stringify(found.event)),
          }),
        )) as { StatusCode?: number };
        if (result.StatusCode !== 202)
          throw new Error(`Lambda answered ${result.StatusCode} to the asynchronous invocation of ${functionName}`);
        await sqs(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        held.delete(message.MessageId ?? "");
        out(`redriven ${what}`);
        counts.redriven++;
      }
    }
  } finally {
    await release(sqs, queueUrl, [...held.values()]);
  }
  return counts;
}

/** Makes the messages visible again at once (ten per request, SQS's batch limit). */
async function release(sqs: Send, queueUrl: string, messages: Message[]) {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    await sqs(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
}
