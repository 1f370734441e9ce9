/**
 * Every stage registers the status event's schema in EventBridge's schema registry, with the very
 * JSON Schema committed in docs/contracts/, under a registry name within AWS's limit.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, stageTemplates } from "./template";
import { LONG_STAGE } from "./synth-setup";
import { STATUS_EVENT_SCHEMA_NAME } from "../../stacks/event-schemas";

const committedSchema = JSON.parse(readFileSync(path.resolve("docs/contracts/order-status-event.schema.json"), "utf8"));
const stages = ["prod", "dev", LONG_STAGE] as const;
const templates: Record<string, any> = {};
beforeAll(async () => {
  for (const stage of stages) templates[stage] = (await stageTemplates(stage)).callbacks.raw;
}, 120_000);

describe.each(stages)("stage %s", (stage) => {
  it("has one registry and the status event's schema in it (JSONSchemaDraft4, the committed document)", () => {
    const raw = templates[stage];
    const registries = resourcesOfType(raw, "AWS::EventSchemas::Registry");
    expect(registries).toHaveLength(1);
    const [registryId, registry] = registries[0]!;
    // `<stage>-<app>-order-events`, or its head and a hash when longer than 64 characters.
    expect(registry.Properties.RegistryName).toMatch(new RegExp(`^${stage}-.*(order-events|-[0-9a-f]{8})$`));
    expect(registry.Properties.RegistryName.length).toBeLessThanOrEqual(64);

    const schemas = resourcesOfType(raw, "AWS::EventSchemas::Schema");
    expect(schemas).toHaveLength(1);
    const [, schema] = schemas[0]!;
    expect(schema.Properties).toMatchObject({
      RegistryName: { "Fn::GetAtt": [registryId, "RegistryName"] },
      SchemaName: STATUS_EVENT_SCHEMA_NAME,
      Type: "JSONSchemaDraft4",
    });
    expect(STATUS_EVENT_SCHEMA_NAME).toBe("awsomepets.orders@OrderStatusChanged");
    expect(JSON.parse(schema.Properties.Content)).toEqual(committedSchema);
  });
});
