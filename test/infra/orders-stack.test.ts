/**
 * The Orders stack as CloudFormation (stage `dev`, synthesized offline): the order API, the saga's
 * state machine from the one ASL file, least-privilege roles, the projection rule and the archive.
 */
import { readFileSync } from "node:fs";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import * as OrderStatus from "@awsomepets/core/status/event";
import { functionLogicalId, policyStatements, resourcesOfType, stageTemplates } from "./template";
import { LONG_STAGE } from "./synth-setup";

let template: Template;
let raw: any;
let callbacksRaw: any;
beforeAll(async () => {
  const stacks = await stageTemplates("dev");
  ({ template, raw } = stacks.orders);
  callbacksRaw = stacks.callbacks.raw;
}, 120_000);

const json = (value: unknown) => JSON.stringify(value);
const list = (value: unknown) => (Array.isArray(value) ? value : [value]);

describe("order API", () => {
  it.each(Object.entries(Topology.HTTP_ROUTES))("routes %s to %s", (routeKey, functionName) => {
    const [, route] = resourcesOfType(raw, "AWS::ApiGatewayV2::Route").find(
      ([, r]) => r.Properties.RouteKey === routeKey,
    )!;
    const integrationId = route.Properties.Target["Fn::Join"][1][1].Ref;
    expect(json(raw.Resources[integrationId].Properties.IntegrationUri)).toContain(
      `"${functionLogicalId(raw, functionName)}"`,
    );
  });

  it("has OrdersTbl keyed by pk with a TTL, destroyed with a dev stage", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      Properties: {
        KeySchema: [{ AttributeName: OrdersTable.PARTITION_KEY, KeyType: "HASH" }],
        TimeToLiveSpecification: { AttributeName: OrdersTable.TTL_ATTRIBUTE, Enabled: true },
      },
    });
  });
});

describe("order workflow", () => {
  it("is one state machine of the default type whose definition is the ASL file's for that type, with every placeholder substituted", () => {
    // Prepare
    const machines = resourcesOfType(raw, "AWS::StepFunctions::StateMachine");
    const [, machine] = machines[0]!;
    const file = readFileSync(Topology.WORKFLOW.definitionFile, "utf8");
    const placeholders = [...file.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).sort();
    const type = Tunables.DEFAULT_ORDER_WORKFLOW_TYPE;
    // Assess
    expect(machines).toHaveLength(1);
    expect(machine.Properties.StateMachineType).toBe(type);
    expect(JSON.parse(machine.Properties.DefinitionString)).toEqual(
      Topology.workflowDefinitionFor(JSON.parse(file), type),
    );
    if (type === "EXPRESS")
      expect(JSON.parse(machine.Properties.DefinitionString).TimeoutSeconds).toBeLessThanOrEqual(
        Topology.EXPRESS_MAX_DURATION_SECONDS,
      );
    else expect(machine.Properties.DefinitionString).toBe(file);
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([...new Set(placeholders)]);
    for (const [state, functionName] of Object.entries(Topology.WORKFLOW.tasks)) {
      expect(machine.Properties.DefinitionSubstitutions[`${state}FunctionArn`]).toEqual({
        "Fn::GetAtt": [functionLogicalId(raw, functionName), "Arn"],
      });
    }
  });

  it("may invoke only its own task functions and put events only on the order bus", () => {
    // Prepare
    const statements = policyStatements(raw).filter((s) => s.policy.startsWith(Topology.WORKFLOW.name));
    const taskIds = Object.values(Topology.WORKFLOW.tasks).map((name) => functionLogicalId(raw, name));
    // Assess
    // Beyond tracing and log delivery (both on '*' by necessity; see lint.test.ts):
    const actions = statements.flatMap((s) => list(s.Action)).filter((a: string) => !/^(xray|logs):/.test(a));
    expect(new Set(actions)).toEqual(new Set(["lambda:InvokeFunction", "events:PutEvents"]));
    for (const s of statements.filter((s) => list(s.Action).includes("lambda:InvokeFunction"))) {
      expect(taskIds.some((id) => json(s.Resource).includes(`"${id}"`))).toBe(true);
    }
    const putEvents = statements.filter((s) => list(s.Action).includes("events:PutEvents"));
    expect(putEvents).toHaveLength(1);
    expect(json(putEvents[0]!.Resource)).toMatch(/OrderEventBus.*Arn/);
  });
});

describe("an order an operator must see to", () => {
  const definitionOf = () =>
    JSON.parse(resourcesOfType(raw, "AWS::StepFunctions::StateMachine")[0]![1].Properties.DefinitionString);

  it("every events:putEvents state of the deployed workflow catches every error, so an EventBridge outage never strands an order", () => {
    const states: Array<[string, any]> = Object.entries(definitionOf().States);
    const publishes = states.filter(([, state]) => state.Resource === "arn:aws:states:::events:putEvents");
    expect(publishes).toHaveLength(6);
    for (const [name, state] of publishes) expect(state.Catch?.[0]?.ErrorEquals, name).toEqual(["States.ALL"]);
    // A cancelled order is a business outcome; the one Fail state is the hand-over to an operator.
    expect(states.filter(([, state]) => state.Type === "Fail").map(([name]) => name)).toEqual(["StatusesNotPublished"]);
    // CompletedByAnotherExecution: the execution that lost to another of the same order (Express runs at least once).
    expect(
      states
        .filter(([, state]) => state.Type === "Succeed")
        .map(([name]) => name)
        .sort(),
    ).toEqual(["CompletedByAnotherExecution", "OrderCancelled", "OrderCompleted"]);
  });

  it("alarms on any failed execution of the workflow, notifying the operators' topic", () => {
    const [machineId] = resourcesOfType(raw, "AWS::StepFunctions::StateMachine")[0]!;
    const alarm = resourcesOfType(raw, "AWS::CloudWatch::Alarm")
      .map(([, a]) => a.Properties)
      .find((a) => a.MetricName === "ExecutionsFailed");
    expect(alarm).toMatchObject({
      Namespace: "AWS/States",
      Dimensions: [{ Name: "StateMachineArn", Value: { Ref: machineId } }],
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [{ "Fn::ImportValue": expect.stringMatching(/OperatorAlarmTopic/) }],
    });
    expect(alarm.AlarmDescription).toMatch(/StatusesNotPublished/);
  });
});

describe("projection rule and archive", () => {
  it("routes the core's event pattern to OrderStatusProjectionFunction with retries and a DLQ", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: OrderStatus.eventPattern,
      Targets: [
        Match.objectLike({
          Arn: { "Fn::GetAtt": [functionLogicalId(raw, "OrderStatusProjectionFunction"), "Arn"] },
          RetryPolicy: {
            MaximumRetryAttempts: Topology.STATUS_TARGET_RETRY_POLICY.retryAttempts,
            MaximumEventAgeInSeconds: Topology.STATUS_TARGET_RETRY_POLICY.maximumEventAgeSeconds,
          },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it("archives every order event from the order bus", () => {
    template.hasResourceProperties("AWS::Events::Archive", {
      EventPattern: { source: [OrderStatus.EVENT_SOURCE] },
      RetentionDays: 30,
    });
  });
});

describe("every function of both stacks", () => {
  it("runs nodejs22.x on arm64", () => {
    const functions = [
      ...resourcesOfType(raw, "AWS::Lambda::Function"),
      ...resourcesOfType(callbacksRaw, "AWS::Lambda::Function"),
    ].filter(([id]) => !id.startsWith("CustomResourceHandler")); // SST's own deploy-time helper
    expect(functions.length).toBe(Object.keys({ ...Topology.FUNCTIONS, ...Topology.DEPLOY_FUNCTIONS }).length);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe("nodejs22.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
    }
  });
});

describe("callback tokens (both stacks)", () => {
  const TOKEN_FUNCTIONS = [
    ["OrderWSConnectFunction", () => callbacksRaw],
    ["CreateOrderFunction", () => raw],
    ["GetOrderFunction", () => raw],
  ] as const;

  it.each(TOKEN_FUNCTIONS)(
    "%s gets the stage bound into tokens, whether it keeps data, and may read both secrets' stage and fallback paths",
    (name, template) => {
      const stack = template();
      const id = functionLogicalId(stack, name);
      const variables = stack.Resources[id].Properties.Environment.Variables;
      expect(variables[Topology.ENV.stage]).toBe("dev");
      // dev is synthesized as a disposable stage (synth-setup.ts sets DISPOSABLE_STAGE=true for it).
      expect(variables[Topology.ENV.stageKeepsData]).toBe("false");
      const reads = policyStatements(stack)
        .filter((s) => s.policy.startsWith(name) && list(s.Action).includes("ssm:GetParameters"))
        .flatMap((s) => list(s.Resource).map((r: unknown) => json(r)));
      for (const secret of ["CallbackTokenSecret", "CallbackTokenPreviousSecret"]) {
        expect(reads.filter((r) => r.includes(`/Secret/${secret}/value`))).toHaveLength(2);
      }
    },
  );
});

describe("least privilege (both stacks)", () => {
  it("grants no wildcard action anywhere", () => {
    const all = [...policyStatements(raw), ...policyStatements(callbacksRaw)];
    expect(all.filter((s) => list(s.Action).some((a: string) => a === "*" || a.endsWith(":*")))).toEqual([]);
  });

  it("lets CreateOrderFunction start only this workflow and write only OrdersTbl", () => {
    const actions = policyStatements(raw)
      .filter((s) => s.policy.startsWith("CreateOrderFunction"))
      .flatMap((s) => list(s.Action).map((a: string): [string, string] => [a, json(s.Resource)]));
    expect(
      actions
        .filter(([a]) => a.startsWith("dynamodb:"))
        .map(([a]) => a)
        .sort(),
    ).toEqual(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]);
    expect(actions.find(([a]) => a === "states:StartExecution")?.[1]).toMatch(/OrderWorkflow/);
    expect(actions.find(([a]) => a === "events:PutEvents")?.[1]).toMatch(/OrderEventBus/);
  });

  it("lets the saga's task functions read or update only OrdersTbl, each only as its step needs, and nothing else", () => {
    // Prepare
    const [[table]] = resourcesOfType(raw, "AWS::DynamoDB::Table") as [[string, unknown]];
    const expected: Record<string, string[]> = {
      ReserveInventoryFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      ProcessPaymentFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      CompleteOrderFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      ReleaseInventoryFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      ProcessRefundFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      CancelOrderFunction: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    };
    for (const name of Object.values(Topology.WORKFLOW.tasks)) {
      // Act
      const statements = policyStatements(raw).filter((s) => s.policy.startsWith(name));
      const actions = statements.flatMap((s) => list(s.Action)).filter((a: string) => !a.startsWith("xray:"));
      // Assess
      expect({ name, actions: actions.sort() }).toEqual({ name, actions: expected[name] });
      for (const s of statements.filter((s) => list(s.Action).some((a: string) => a.startsWith("dynamodb:"))))
        expect(json(s.Resource), name).toContain(table);
    }
  });
});

describe("a switch of the workflow's type (the long stage: STANDARD, with EXPRESS draining)", () => {
  it("keeps both state machines, each with its failed, timed-out and bill-guard alarms; new orders start only on the deployed type", async () => {
    // Prepare
    const { raw: long } = (await stageTemplates(LONG_STAGE)).orders;
    const machines = resourcesOfType(long, "AWS::StepFunctions::StateMachine");
    const byType = Object.fromEntries(machines.map(([id, m]) => [m.Properties.StateMachineType, id]));
    const alarms = resourcesOfType(long, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const createOrder = long.Resources[functionLogicalId(long, "CreateOrderFunction")];
    // Assess
    expect(Object.keys(byType).sort()).toEqual(["EXPRESS", "STANDARD"]);
    expect(byType.STANDARD).toMatch(/^OrderWorkflow[0-9A-F]{8}$/); // the id stages were deployed with: not replaced
    for (const id of Object.values(byType)) {
      const metrics = alarms
        .filter((a) => a.Dimensions?.[0]?.Value?.Ref === id)
        .map((a) => a.MetricName)
        .sort();
      expect({ id, metrics }).toEqual({ id, metrics: ["ExecutionsFailed", "ExecutionsStarted", "ExecutionsTimedOut"] });
    }
    expect(createOrder.Properties.Environment.Variables[Topology.ENV.stateMachineArn]).toEqual({
      Ref: byType.STANDARD,
    });
  });
});
