/**
 * The status event in EventBridge's schema registry, so that a consumer of the bus finds its shape in
 * AWS (console: EventBridge → Schemas, or `aws schemas describe-schema`) and downloads code bindings.
 * The content is the same generated JSON Schema as docs/contracts/order-status-event.schema.json.
 */
import { CfnRegistry, CfnSchema } from "aws-cdk-lib/aws-eventschemas";
import type { App, Stack } from "sst/constructs";
import * as OrderStatus from "@awsomepets/core/status/event";
import { statusEventSchema } from "../scripts/contracts/index";
import { prefixedName } from "./names";

/** Registry names take at most 64 characters. */
const REGISTRY_NAME_MAX = 64;

/** As EventBridge names discovered schemas: `<source>@<DetailType without spaces>`. */
export const STATUS_EVENT_SCHEMA_NAME = `${OrderStatus.EVENT_SOURCE}@${OrderStatus.DETAIL_TYPE.replaceAll(" ", "")}`;

export function orderEventSchemas(stack: Stack, app: App) {
  const registry = new CfnRegistry(stack, "OrderEventRegistry", {
    registryName: prefixedName(app, "order-events", REGISTRY_NAME_MAX),
    description: `Events of the order bus (${OrderStatus.EVENT_SOURCE})`,
  });
  const schema = new CfnSchema(stack, "OrderStatusChangedSchema", {
    registryName: registry.attrRegistryName,
    schemaName: STATUS_EVENT_SCHEMA_NAME,
    // EventBridge takes OpenApi3 or JSONSchemaDraft4; draft-04 is what z.toJSONSchema writes for it.
    type: "JSONSchemaDraft4",
    content: JSON.stringify(statusEventSchema()),
    description: `${OrderStatus.DETAIL_TYPE}: one status of an order`,
  });
  return { registry, schema };
}
