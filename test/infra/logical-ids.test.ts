/**
 * Every resource's logical ID, per stack, on the prod stage and the long stage (the one with every
 * deploy setting), and the properties whose change replaces a resource that holds data (a table's
 * name and key, a queue's, a bus's, an archive's, a state machine's, a log group's). CloudFormation
 * replaces such a resource, data and all, so moving or renaming a construct must leave these as
 * they are. The lists were written from 89789a5, the tree before issue 25's restructure; a change
 * here is a deliberate migration, reviewed in the diff (`npx vitest run <this file> -u`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { LONG_STAGE } from "./synth-setup";

/** Per type of a resource that keeps data, the properties whose change replaces it (CloudFormation's reference). */
const REPLACING: Record<string, string[]> = {
  "AWS::DynamoDB::Table": ["TableName", "KeySchema"],
  "AWS::SQS::Queue": ["QueueName", "FifoQueue"],
  "AWS::Events::EventBus": ["Name"],
  "AWS::Events::Archive": ["ArchiveName", "SourceArn"],
  "AWS::StepFunctions::StateMachine": ["StateMachineName", "StateMachineType"],
  "AWS::Logs::LogGroup": ["LogGroupName"],
  "AWS::SNS::Topic": ["TopicName", "FifoTopic"],
};

function logicalIds(stage: string) {
  const dir = path.join(inject("synthDir"), stage);
  const stacks: Record<string, string[]> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const raw = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    // The stack by its role (`…-Callbacks.json` → Callbacks), not by the stage's prefix.
    const role = file
      .replace(/\.json$/, "")
      .split("-")
      .pop()!;
    stacks[role] = Object.entries(raw.Resources ?? {})
      .map(([id, r]) => {
        const { Type, Properties = {} } = r as { Type: string; Properties?: Record<string, unknown> };
        const kept = (REPLACING[Type] ?? []).filter((p) => p in Properties).map((p) => [p, Properties[p]]);
        return kept.length ? `${id} ${Type} ${JSON.stringify(Object.fromEntries(kept))}` : `${id} ${Type}`;
      })
      .sort();
  }
  return stacks;
}

describe("logical IDs", () => {
  for (const [stage, file] of [
    ["prod", "logical-ids.prod.json"],
    [LONG_STAGE, "logical-ids.long-stage.json"],
  ] as const) {
    it(`stage ${stage}: every resource keeps its logical ID`, async () => {
      const ids = logicalIds(stage);
      expect(Object.keys(ids).length).toBeGreaterThanOrEqual(2);
      await expect(`${JSON.stringify(ids, null, 2)}\n`).toMatchFileSnapshot(`./${file}`);
    });
  }
});
