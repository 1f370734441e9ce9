/**
 * Tables a stage can be removed and deployed again with, or replaced: names left to CloudFormation in
 * every stage; in production, kept on removal and on replacement (with point-in-time recovery and
 * deletion protection); and a retained orders table adopted again by name (ADOPT_ORDERS_TABLE).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LONG_STAGE, LONG_STAGE_ENV } from "./synth-setup";
import { policyStatements, resourcesOfType, stageTemplates } from "./template";

type Stacks = Awaited<ReturnType<typeof stageTemplates>>;
let prod: Stacks;
let dev: Stacks;
let adopting: Stacks;
beforeAll(async () => {
  [prod, dev, adopting] = await Promise.all([stageTemplates("prod"), stageTemplates("dev"), stageTemplates(LONG_STAGE)]);
});

const tables = (s: Stacks) => [...resourcesOfType(s.callbacks.raw, "AWS::DynamoDB::Table"), ...resourcesOfType(s.orders.raw, "AWS::DynamoDB::Table")];

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

  it("stage dev: both are deleted with the stage", () => {
    for (const [, table] of tables(dev)) expect([table.DeletionPolicy, table.Properties.DeletionProtectionEnabled]).toEqual(["Delete", undefined]);
  });

  it("with ADOPT_ORDERS_TABLE, the stage uses that retained table instead of creating one, and grants access to it", () => {
    // Prepare
    const name = LONG_STAGE_ENV.ADOPT_ORDERS_TABLE;
    const json = JSON.stringify;
    const createOrder = policyStatements(adopting.orders.raw).filter((s) => s.policy.startsWith("CreateOrderFunction"));
    // Assess
    expect(resourcesOfType(adopting.orders.raw, "AWS::DynamoDB::Table")).toEqual([]);
    expect(json(createOrder.filter((s) => json(s.Action).includes("dynamodb:")).map((s) => s.Resource))).toContain(`:table/${name}`);
    expect(json(adopting.orders.raw.Outputs.OrdersTable.Value)).toContain(name);
  });
});
