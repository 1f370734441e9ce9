/**
 * The CloudFormation outputs the operator commands (`npm run pending|redrive|replay -- --stage`)
 * read, by the names the commands look for (STACK_OUTPUTS), each pointing at the right resource.
 */
import { beforeAll, expect, it } from "vitest";
import { STACK_OUTPUTS } from "../../packages/local/src/cli/ops/stack-outputs";
import { functionLogicalId, resourcesOfType, stageTemplates } from "./template";

let callbacks: any;
let orders: any;
beforeAll(async () => {
  const stacks = await stageTemplates("dev");
  callbacks = stacks.callbacks.raw;
  orders = stacks.orders.raw;
}, 120_000);

const onlyId = (raw: any, type: string, prefix: string) => {
  const ids = resourcesOfType(raw, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
const output = (raw: any, key: string) => raw.Outputs[key]?.Value;

it("Callbacks: the callback table, its dead-letter queue and function, the bus ARN", () => {
  const keys = STACK_OUTPUTS.Callbacks;
  expect(output(callbacks, keys.clientCallbackTable)).toEqual({
    Ref: onlyId(callbacks, "AWS::DynamoDB::Table", "ClientCallbackTbl"),
  });
  expect(output(callbacks, keys.callbackDeadLetterQueueUrl)).toEqual({
    Ref: onlyId(callbacks, "AWS::SQS::Queue", "OrderStatusCallbackDLQ"),
  });
  expect(output(callbacks, keys.callbackFunctionName)).toEqual({
    Ref: functionLogicalId(callbacks, "OrderWSCallbackFunction"),
  });
  expect(output(callbacks, keys.eventBusArn)).toEqual({
    "Fn::GetAtt": [onlyId(callbacks, "AWS::Events::EventBus", "OrderEventBus"), "Arn"],
  });
});

it("Orders: the orders table (erase-order), the projection's dead-letter queue and function, the archive ARN", () => {
  const keys = STACK_OUTPUTS.Orders;
  expect(output(orders, keys.ordersTable)).toEqual({ Ref: onlyId(orders, "AWS::DynamoDB::Table", "OrdersTbl") });
  expect(output(orders, keys.projectionDeadLetterQueueUrl)).toEqual({
    Ref: onlyId(orders, "AWS::SQS::Queue", "OrderStatusProjectionDLQ"),
  });
  expect(output(orders, keys.projectionFunctionName)).toEqual({
    Ref: functionLogicalId(orders, "OrderStatusProjectionFunction"),
  });
  expect(output(orders, keys.eventArchiveArn)).toEqual({
    "Fn::GetAtt": [onlyId(orders, "AWS::Events::Archive", "OrderEventsArchive"), "Arn"],
  });
});

it("npm run smoke: the @connections endpoint, the alarm topic every alarm notifies, the edge's URLs", () => {
  const { Callbacks, Orders } = STACK_OUTPUTS;
  expect(output(callbacks, Callbacks.alarmTopicArn)).toEqual({
    Ref: onlyId(callbacks, "AWS::SNS::Topic", "OperatorAlarmTopic"),
  });
  for (const raw of [callbacks, orders]) {
    const alarms = resourcesOfType(raw, "AWS::CloudWatch::Alarm");
    expect(alarms.length).toBeGreaterThan(0);
    // DescribeAlarms' ActionPrefix finds the stage's alarms by this topic: each one notifies it.
    for (const [, alarm] of alarms)
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain("OperatorAlarmTopic");
  }
  expect(output(callbacks, Callbacks.managementEndpoint)).toBeDefined();
  expect(output(orders, Orders.edgeApiUrl)).toBeDefined();
  expect(output(orders, Orders.edgeWebSocketUrl)).toBeDefined();
});
