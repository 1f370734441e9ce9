/**
 * What an operator gets from a stage: alarms (each dead-letter queue, each function's errors and
 * throttles, failed workflows) on one SNS topic, throttled and access-logged API stages, the state
 * machine's log at ERROR, and a retention on every log group. `dev` shows the defaults; the long
 * branch stage was synthesized with deploy-time settings (LONG_STAGE_ENV) that must reach the templates.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";
import * as Metrics from "@awsomepets/core/platform/metrics";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { DEFAULTS, operationsConfig } from "../../stacks/operations";
import { LONG_STAGE, LONG_STAGE_ENV } from "./synth-setup";
import { functionLogicalId, resourcesOfType } from "./template";

function stage(name: string) {
  const dir = path.join(inject("synthDir"), name);
  const read = (suffix: string) =>
    JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith(`-${suffix}.json`))!), "utf8"));
  return { callbacks: read("Callbacks"), orders: read("Orders"), web: read("Web") };
}
const dev = stage("dev");
const long = stage(LONG_STAGE);
const all = (s: ReturnType<typeof stage>) => [s.callbacks, s.orders, s.web];
const alarms = (raw: any) => resourcesOfType(raw, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);

describe("alarms", () => {
  const topicId = resourcesOfType(dev.callbacks, "AWS::SNS::Topic").map(([id]) => id);

  it("has one alarm topic, an output to subscribe to, and an e-mail subscription only when ALARM_EMAIL is set", () => {
    expect(topicId).toHaveLength(1);
    expect(dev.callbacks.Outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId[0] });
    expect(resourcesOfType(dev.callbacks, "AWS::SNS::Subscription")).toEqual([]);
    const [[, subscription]] = resourcesOfType(long.callbacks, "AWS::SNS::Subscription") as [[string, any]];
    expect(subscription.Properties).toMatchObject({ Protocol: "email", Endpoint: LONG_STAGE_ENV.ALARM_EMAIL });
  });

  it.each([
    ["callbacks", "OrderStatusCallbackDLQ"],
    ["orders", "OrderStatusProjectionDLQ"],
  ] as const)("fires on any message visible in the %s dead-letter queue %s", (stack, queue) => {
    const raw = dev[stack];
    const [queueId] = resourcesOfType(raw, "AWS::SQS::Queue").find(([id]) => id.startsWith(queue))!;
    const alarm = alarms(raw).find((a) => a.MetricName === "ApproximateNumberOfMessagesVisible");
    expect(alarm).toMatchObject({
      Namespace: "AWS/SQS",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      EvaluationPeriods: 1,
      Period: 60,
    });
    expect(alarm.AlarmActions).toHaveLength(1);
  });

  it("fires on any post @connections refused (403), counted by the callback functions as EMF under their service", () => {
    const rejected = alarms(dev.callbacks).filter((a) => a.MetricName === Metrics.POSTS_REJECTED);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      Namespace: Topology.METRICS_NAMESPACE,
      Dimensions: [{ Name: "service", Value: Topology.SERVICES.callbacks }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    expect(
      ["OrderWSCallbackFunction", "OrderWSPendingFunction"].map(
        (name) => Topology.WIRING[name as Topology.FunctionName].service,
      ),
    ).toEqual([Topology.SERVICES.callbacks, Topology.SERVICES.callbacks]);
  });

  // Saga steps whose state has a Catch throw to report a business outcome (sold out, declined card).
  const asl = JSON.parse(readFileSync(Topology.WORKFLOW.definitionFile, "utf8"));
  const outcomeSteps: string[] = Object.entries(Topology.WORKFLOW.tasks)
    .filter(([state]) => asl.States[state].Catch)
    .map(([, name]) => name);
  const lambdaAlarm = (raw: any, metric: string, fnId: string) =>
    alarms(raw).find((a) => a.MetricName === metric && a.Dimensions?.[0]?.Value?.Ref === fnId);

  it.each(Object.keys(Topology.FUNCTIONS))(
    "fires on throttles of %s, and on its errors unless they are business outcomes",
    (name) => {
      const raw = [dev.callbacks, dev.orders].find((t) => Object.keys(t.Resources).some((id) => id.startsWith(name)))!;
      const fnId = functionLogicalId(raw, name);
      expect(lambdaAlarm(raw, "Throttles", fnId)).toMatchObject({
        Namespace: "AWS/Lambda",
        Threshold: 1,
        Statistic: "Sum",
      });
      if (outcomeSteps.includes(name)) expect(lambdaAlarm(raw, "Errors", fnId)).toBeUndefined();
      else
        expect(lambdaAlarm(raw, "Errors", fnId)).toMatchObject({
          Namespace: "AWS/Lambda",
          Threshold: 1,
          Statistic: "Sum",
        });
    },
  );

  // Compensation reports an outcome too since one order has one outcome: a step that finds the order
  // completed by another execution throws OrderAlreadyCompleted, which the workflow catches.
  it("knows the saga steps that report outcomes by throwing: every step, compensation included", () => {
    expect(outcomeSteps.sort()).toEqual([
      "CancelOrderFunction",
      "CompleteOrderFunction",
      "ProcessPaymentFunction",
      "ProcessRefundFunction",
      "ReleaseInventoryFunction",
      "ReserveInventoryFunction",
    ]);
  });

  it("fires on a failed or timed-out order workflow (a cancelled order's execution succeeds), and past the bill guard's executions started", () => {
    const states = alarms(dev.orders).filter((a) => a.Namespace === "AWS/States");
    expect(states.map((a) => [a.MetricName, a.Threshold])).toEqual([
      ["ExecutionsFailed", 1],
      ["ExecutionsStarted", Tunables.TUNABLES.billGuardExecutions.defaultValue],
      ["ExecutionsTimedOut", 1],
    ]);
  });

  it("notifies the topic of every alarm, when it fires and when it clears", () => {
    const importedTopic = { "Fn::ImportValue": expect.stringMatching(/OperatorAlarmTopic/) };
    for (const a of alarms(dev.callbacks))
      expect([a.AlarmActions, a.OKActions]).toEqual([[{ Ref: topicId[0] }], [{ Ref: topicId[0] }]]);
    for (const a of alarms(dev.orders))
      expect([a.AlarmActions, a.OKActions]).toEqual([[importedTopic], [importedTopic]]);
  });
});

describe("API stages", () => {
  const webSocketStage = (raw: any) => resourcesOfType(raw, "AWS::ApiGatewayV2::Stage")[0]![1].Properties;
  const httpStage = webSocketStage;

  const settings = (throttle: Topology.Throttle) => ({
    ThrottlingRateLimit: throttle.rateLimit,
    ThrottlingBurstLimit: throttle.burstLimit,
  });
  const { http, webSocket } = Topology.API_THROTTLES;

  it("throttle the WebSocket and HTTP stages with core's throttles, or the configured rate and burst", () => {
    expect(webSocketStage(dev.callbacks).DefaultRouteSettings).toMatchObject(settings(webSocket.default));
    expect(httpStage(dev.orders).DefaultRouteSettings).toMatchObject(settings(http));
    expect(webSocketStage(long.callbacks).DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 6,
    });
    expect(httpStage(long.orders).DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 3,
      ThrottlingBurstLimit: 4,
    });
  });

  it("give $connect a throttle of its own, apart from the messages' default, on a route the API has", () => {
    const stage = webSocketStage(dev.callbacks);
    expect(stage.RouteSettings).toEqual({ $connect: settings(webSocket.routes.$connect) });
    expect(stage.RouteSettings.$connect).not.toEqual(settings(webSocket.default));
    expect(webSocketStage(long.callbacks).RouteSettings).toEqual({
      $connect: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 8 },
    });
    // CloudFormation must create the $connect route before the stage that names it.
    const [stageId] = resourcesOfType(dev.callbacks, "AWS::ApiGatewayV2::Stage")[0]!;
    const [routeId] = resourcesOfType(dev.callbacks, "AWS::ApiGatewayV2::Route").find(
      ([, r]) => r.Properties.RouteKey === "$connect",
    )!;
    expect(dev.callbacks.Resources[stageId].DependsOn).toContain(routeId);
  });

  it.each(["callbacks", "orders"] as const)(
    "log every request of the %s API as JSON into a log group of the stack",
    (stack) => {
      const raw = dev[stack];
      const { AccessLogSettings } = webSocketStage(raw);
      const [logGroupId] = AccessLogSettings.DestinationArn["Fn::GetAtt"];
      expect(raw.Resources[logGroupId].Type).toBe("AWS::Logs::LogGroup");
      expect(JSON.parse(AccessLogSettings.Format)).toMatchObject({
        requestId: "$context.requestId",
        status: "$context.status",
      });
    },
  );

  it.each([["dev"], ["prod"], [LONG_STAGE]])(
    "stage %s: no stage owns API Gateway's account settings; a custom resource sets its CloudWatch role before the WebSocket stage, only if none is set",
    (name) => {
      const s = stage(name);
      for (const raw of all(s)) expect(resourcesOfType(raw, "AWS::ApiGateway::Account")).toEqual([]);
      const raw = s.callbacks;
      const [[resourceId, resource]] = resourcesOfType(raw, "Custom::ApiGatewayAccountLogsRole") as [[string, any]];
      expect(resource.Properties.RoleName).toBe(Topology.API_GATEWAY_LOGS_ROLE_NAME);
      expect(resource.Properties.ServiceToken["Fn::GetAtt"]).toEqual([
        functionLogicalId(raw, "ApiGatewayAccountFunction"),
        "Arn",
      ]);
      const [stageId] = resourcesOfType(raw, "AWS::ApiGatewayV2::Stage")[0]!;
      expect(raw.Resources[stageId].DependsOn).toContain(resourceId);
      // Nothing account-wide is created by the template: the role is the function's to create, once.
      expect(
        resourcesOfType(raw, "AWS::IAM::Role").filter(([, r]) =>
          JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("apigateway.amazonaws.com"),
        ),
      ).toEqual([]);
    },
  );

  it("lets that function touch only the account settings and the one role of that name", () => {
    const id = functionLogicalId(dev.callbacks, "ApiGatewayAccountFunction");
    const roleRef = dev.callbacks.Resources[id].Properties.Role["Fn::GetAtt"][0];
    const statements = resourcesOfType(dev.callbacks, "AWS::IAM::Policy")
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleRef))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => JSON.stringify(st.Action).match(/apigateway:|iam:/));
    const text = JSON.stringify(statements);
    expect(text).toContain("::/account");
    expect(text).toContain(`:role/${Topology.API_GATEWAY_LOGS_ROLE_NAME}`);
    expect(text).not.toMatch(/role\/\*|"\*"/);
    expect(text).toContain("AmazonAPIGatewayPushToCloudWatchLogs");
  });
});

describe("logs", () => {
  it("logs a Standard workflow's errors without execution data, an Express one's with their data (it has no history), and traces both", () => {
    // The long stage runs Standard while an Express workflow drains; dev runs the default type.
    const machines = [
      ...resourcesOfType(stage(LONG_STAGE).orders, "AWS::StepFunctions::StateMachine"),
      ...resourcesOfType(dev.orders, "AWS::StepFunctions::StateMachine"),
    ];
    const logging = (type: string) => machines.find(([, m]) => m.Properties.StateMachineType === type)![1].Properties;
    expect(logging("STANDARD").LoggingConfiguration).toMatchObject({ Level: "ERROR", IncludeExecutionData: false });
    expect(logging("EXPRESS").LoggingConfiguration).toMatchObject({ Level: "ERROR", IncludeExecutionData: true });
    for (const [, machine] of machines) expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it.each([["dev"], ["prod"], [LONG_STAGE]])(
    "stage %s: the workflow logs under /aws/vendedlogs/states/, in a group named after the stack's own id (a redeploy after a removal that kept it does not collide)",
    (name) => {
      const { orders } = stage(name);
      for (const [, machine] of resourcesOfType(orders, "AWS::StepFunctions::StateMachine")) {
        const [groupId] =
          machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn["Fn::GetAtt"];
        const logGroupName = orders.Resources[groupId].Properties.LogGroupName;
        const [separator, [prefix, uuid]] = logGroupName["Fn::Join"];
        expect(separator).toBe("");
        expect(prefix).toMatch(new RegExp(`^/aws/vendedlogs/states/${name}-${Topology.APP_NAME}-OrderWork`)); // the Express name of a long stage is fitted to 80 characters with a hash
        expect(prefix.length + 36).toBeLessThanOrEqual(512);
        expect(uuid).toEqual({ "Fn::Select": [2, { "Fn::Split": ["/", { Ref: "AWS::StackId" }] }] });
      }
    },
  );

  it.each([
    ["dev", dev, DEFAULTS.logRetentionDays.disposable],
    ["prod", stage("prod"), DEFAULTS.logRetentionDays.keepsData],
    [LONG_STAGE, long, Number(LONG_STAGE_ENV.LOG_RETENTION_DAYS)],
  ] as const)(
    "stage %s: every log group has a retention (%i days), and every function logs into one",
    (_name, s, days) => {
      for (const raw of all(s)) {
        const groups = resourcesOfType(raw, "AWS::Logs::LogGroup");
        for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(days);
        for (const [id, fn] of resourcesOfType(raw, "AWS::Lambda::Function")) {
          const target = fn.Properties.LoggingConfig?.LogGroup?.Ref;
          expect(raw.Resources[target]?.Type, `log group of ${id}`).toBe("AWS::Logs::LogGroup");
        }
      }
    },
  );
});

describe("operationsConfig", () => {
  it("uses the defaults, or refuses a bad value naming the variable", () => {
    expect(operationsConfig({}, false)).toEqual({
      logRetentionDays: DEFAULTS.logRetentionDays.disposable,
      alarmEmail: undefined,
    });
    expect(() => operationsConfig({ LOG_RETENTION_DAYS: "10" }, false)).toThrow(
      /LOG_RETENTION_DAYS must be one of CloudWatch's retention periods/,
    );
    expect(() => operationsConfig({ ALARM_EMAIL: "ops" }, true)).toThrow(/ALARM_EMAIL/);
  });
});
