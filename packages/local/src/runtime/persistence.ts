/**
 * What `--data-dir` keeps, and where: DynamoDB's tables (dynalite's LevelDB), the token secret, the
 * running executions and the queued EventBridge deliveries (one small JSON file each, see
 * aws-local's journal). Without a data dir everything lives in memory.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { JournalDelivery } from "@awsomepets/aws-local/eventbridge/server";
import { directoryJournal } from "@awsomepets/aws-local/journal";
import type { JournalEntry } from "@awsomepets/aws-local/stepfunctions/server";

export function persistence(dataDir: string | undefined) {
  if (!dataDir) return { executions: undefined, deliveries: undefined };
  return {
    executions: directoryJournal<JournalEntry>(path.join(dataDir, "executions")),
    deliveries: directoryJournal<JournalDelivery>(path.join(dataDir, "deliveries")),
  };
}

/** dynalite's folder; a data dir made before the journals existed holds LevelDB at its top. */
export function dynamodbDir(dataDir: string) {
  return existsSync(path.join(dataDir, "CURRENT")) ? dataDir : path.join(dataDir, "dynamodb");
}
