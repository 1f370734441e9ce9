/**
 * Every resource's logical ID, per stack, on the prod stage and the long stage (the one with every
 * deploy setting). CloudFormation replaces a resource whose logical ID changes — a table or a queue
 * with its data — so moving or renaming a construct must leave this list as it is. The committed
 * lists were written before the restructure of issue 25; a change here is a deliberate migration,
 * reviewed in the diff (update with `npx vitest run test/infra/logical-ids.test.ts -u`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { LONG_STAGE } from "./synth-setup";

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
      .map(([id, r]) => `${id} ${(r as { Type: string }).Type}`)
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
