/**
 * Tables a stage can be removed and deployed again with, or replaced: names left to CloudFormation in
 * every stage; in a stage that keeps data (any not deployed with DISPOSABLE_STAGE=true, whatever its
 * name), kept on removal and on replacement (with point-in-time recovery and deletion protection); and
 * a retained orders table adopted again by name (ADOPT_ORDERS_TABLE).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { VisibleError } from "sst/error.js";
import { stageKeepsData } from "../../stacks/stage";
import { LONG_STAGE, LONG_STAGE_ENV } from "./synth-setup";
import { policyStatements, resourcesOfType, stageTemplates } from "./template";

type Stacks = Awaited<ReturnType<typeof stageTemplates>>;
let prod: Stacks;
let dev: Stacks;
let adopting: Stacks;
beforeAll(async () => {
  [prod, dev, adopting] = await Promise.all([
    stageTemplates("prod"),
    stageTemplates("dev"),
    stageTemplates(LONG_STAGE),
  ]);
});

const tables = (s: Stacks) => [
  ...resourcesOfType(s.callbacks.raw, "AWS::DynamoDB::Table"),
  ...resourcesOfType(s.orders.raw, "AWS::DynamoDB::Table"),
];

describe("tables", () => {
  it("are named by CloudFormation in every stage, so neither a redeploy after removal nor a replacement collides", () => {
    const all = [...tables(prod), ...tables(dev)];
    expect(all).toHaveLength(4);
    for (const [id, table] of all) expect(table.Properties.TableName, id).toBeUndefined();
  });

  it("stage prod: both are retained on removal and on replacement, with point-in-time recovery and deletion protection", () => {
    for (const [id, table] of tables(prod)) {
      expect({ id, DeletionPolicy: table.DeletionPolicy, UpdateReplacePolicy: table.UpdateReplacePolicy }).toEqual({
        id,
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
      });
      expect(table.Properties).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
  });

  it(`stage ${LONG_STAGE}: not declared disposable, its callback table is kept as prod's, whatever its name`, () => {
    const [[id, table]] = resourcesOfType(adopting.callbacks.raw, "AWS::DynamoDB::Table") as [[string, any]];
    expect({ id, DeletionPolicy: table.DeletionPolicy, UpdateReplacePolicy: table.UpdateReplacePolicy }).toEqual({
      id,
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it("stage dev (DISPOSABLE_STAGE=true): both are deleted with the stage", () => {
    for (const [, table] of tables(dev))
      expect([table.DeletionPolicy, table.Properties.DeletionProtectionEnabled]).toEqual(["Delete", undefined]);
  });

  it("with ADOPT_ORDERS_TABLE, the stage uses that retained table instead of creating one, and grants access to it", () => {
    // Prepare
    const name = LONG_STAGE_ENV.ADOPT_ORDERS_TABLE;
    const json = JSON.stringify;
    const createOrder = policyStatements(adopting.orders.raw).filter((s) => s.policy.startsWith("CreateOrderFunction"));
    // Assess
    expect(resourcesOfType(adopting.orders.raw, "AWS::DynamoDB::Table")).toEqual([]);
    expect(json(createOrder.filter((s) => json(s.Action).includes("dynamodb:")).map((s) => s.Resource))).toContain(
      `:table/${name}`,
    );
    expect(json(adopting.orders.raw.Outputs.OrdersTable.Value)).toContain(name);
  });
});

describe("DISPOSABLE_STAGE", () => {
  it("keeps data unless set to true, and refuses any other value with a message naming the variable (a typo must not destroy orders)", () => {
    expect([
      stageKeepsData({}),
      stageKeepsData({ DISPOSABLE_STAGE: "" }),
      stageKeepsData({ DISPOSABLE_STAGE: "true" }),
    ]).toEqual([true, true, false]);
    expect(() => stageKeepsData({ DISPOSABLE_STAGE: "yes" })).toThrow(
      /^Deploy setting refused: DISPOSABLE_STAGE="yes" is not allowed/,
    );
    expect(() => stageKeepsData({ DISPOSABLE_STAGE: "yes" })).toThrow(VisibleError); // SST prints it without a stack trace
  });
});
