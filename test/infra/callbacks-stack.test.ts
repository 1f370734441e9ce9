/**
 * The Callbacks stack as CloudFormation: synthesized offline for stage `dev`, asserted against the
 * contracts in packages/core so that the infrastructure cannot drift from the code.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as OrderStatus from "@awsomepets/core/status/event";
import { callbacksTemplate, functionLogicalId, resourcesOfType } from "./template";

let template: Template;
let raw: any;
beforeAll(async () => {
  ({ template, raw } = await callbacksTemplate("dev"));
}, 120_000);

const json = (value: unknown) => JSON.stringify(value);

describe("ClientCallbackTbl", () => {
  it("has the core's keys and TTL attribute, and no index (connections are found by key)", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: CallbackTable.PARTITION_KEY, KeyType: "HASH" },
        { AttributeName: CallbackTable.SORT_KEY, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: Match.absent(),
      TimeToLiveSpecification: { AttributeName: CallbackTable.TTL_ATTRIBUTE, Enabled: true },
      BillingMode: "PAY_PER_REQUEST",
    });
  });

  it("is destroyed with a stage declared disposable (dev)", () => {
    template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Delete", UpdateReplacePolicy: "Delete" });
  });
});

describe("OrderCallbackAPI", () => {
  it("is a WebSocket API selecting routes on the message's action", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "WEBSOCKET",
      RouteSelectionExpression: Topology.ROUTE_SELECTION_EXPRESSION,
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", { StageName: "dev", AutoDeploy: true });
  });

  it.each(Object.entries(Topology.WEBSOCKET_ROUTES))("routes %s to %s", (routeKey, functionName) => {
    // Prepare
    const fnId = functionLogicalId(raw, functionName);
    const [routeId, route] = resourcesOfType(raw, "AWS::ApiGatewayV2::Route").find(
      ([, r]) => r.Properties.RouteKey === routeKey,
    )!;
    // Act: follow the route to its integration
    const integrationId = route.Properties.Target["Fn::Join"][1][1].Ref;
    const integration = raw.Resources[integrationId];
    // Assess
    expect(routeId).toBeTruthy();
    expect(integration.Properties.IntegrationType).toBe("AWS_PROXY");
    expect(json(integration.Properties.IntegrationUri)).toContain(`"${fnId}"`);
  });

  it("authorizes $connect, and only $connect, with core's Lambda REQUEST authorizer, which API Gateway may invoke", () => {
    // Prepare
    const fnId = functionLogicalId(raw, Topology.WEBSOCKET_AUTHORIZER.functionName);
    const authorizers = resourcesOfType(raw, "AWS::ApiGatewayV2::Authorizer");
    const routes = resourcesOfType(raw, "AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties);
    const [authorizerId, authorizer] = authorizers[0]!;
    // Assess
    expect(authorizers).toHaveLength(1);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: "REQUEST",
      IdentitySource: [...Topology.WEBSOCKET_AUTHORIZER.identitySource],
      ApiId: { Ref: expect.stringMatching(/^OrderCallbackAPI/) },
    });
    expect(json(authorizer.Properties.AuthorizerUri)).toContain(`"${fnId}"`);
    const connect = routes.find((route) => route.RouteKey === "$connect")!;
    expect(connect).toMatchObject({ AuthorizationType: "CUSTOM", AuthorizerId: { Ref: authorizerId } });
    const others = routes.filter((route) => route.RouteKey !== "$connect");
    expect(others.map((route) => route.AuthorizationType ?? "NONE")).toEqual(others.map(() => "NONE"));
    const invokable = resourcesOfType(raw, "AWS::Lambda::Permission").map(([, p]) => p.Properties);
    expect(invokable).toContainEqual(
      expect.objectContaining({
        Action: "lambda:InvokeFunction",
        Principal: "apigateway.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [fnId, "Arn"] },
        SourceArn: expect.objectContaining({ "Fn::Join": expect.anything() }),
      }),
    );
  });

  it("declares exactly the core's routes", () => {
    const keys = resourcesOfType(raw, "AWS::ApiGatewayV2::Route")
      .map(([, r]) => r.Properties.RouteKey)
      .sort();
    expect(keys).toEqual(Object.keys(Topology.WEBSOCKET_ROUTES).sort());
  });
});

const CALLBACK_FUNCTIONS = [
  ...new Set([
    ...Object.values(Topology.WEBSOCKET_ROUTES),
    Topology.WEBSOCKET_AUTHORIZER.functionName,
    Topology.EVENT_RULES.OrderStatusToCallback.target,
  ]),
];

describe("functions", () => {
  it.each(CALLBACK_FUNCTIONS)(
    "%s runs nodejs22.x on arm64 with the environment core's wiring contract gives it",
    (name) => {
      const fn = raw.Resources[functionLogicalId(raw, name)];
      expect(fn.Properties.Runtime).toBe("nodejs22.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      const { settings } = Topology.WIRING[name];
      const contract = settings.map((setting) => Topology.ENV[setting]);
      const required = settings
        .filter((setting) => !Topology.OPTIONAL_SETTINGS.has(setting))
        .map((setting) => Topology.ENV[setting]);
      const appVariables = Object.keys(fn.Properties.Environment.Variables).filter((key) => !/^(SST_|AWS_)/.test(key));
      expect(appVariables).toEqual(expect.arrayContaining(required));
      expect(contract).toEqual(expect.arrayContaining(appVariables));
    },
  );

  it("binds the callback-token secret to the connect function only", () => {
    const withSecret = CALLBACK_FUNCTIONS.filter((name) =>
      json(raw.Resources[functionLogicalId(raw, name)].Properties.Environment.Variables).includes(
        "CallbackTokenSecret",
      ),
    );
    expect(withSecret).toEqual(["OrderWSConnectFunction"]);
  });
});

describe("order event bus", () => {
  it("routes the core's event pattern to OrderWSCallbackFunction", () => {
    // Prepare
    const fnId = functionLogicalId(raw, Topology.EVENT_RULES.OrderStatusToCallback.target);
    const [, rule] = resourcesOfType(raw, "AWS::Events::Rule")[0]!;
    // Assess
    expect(rule.Properties.EventPattern).toEqual(OrderStatus.eventPattern);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(json(rule.Properties.Targets[0].Arn)).toContain(`"${fnId}"`);
  });

  it("retries the target by the core's policy and dead-letters what is left", () => {
    const policy = Topology.STATUS_TARGET_RETRY_POLICY;
    template.hasResourceProperties("AWS::Events::Rule", {
      Targets: [
        Match.objectLike({
          RetryPolicy: {
            MaximumRetryAttempts: policy.retryAttempts,
            MaximumEventAgeInSeconds: policy.maximumEventAgeSeconds,
          },
          DeadLetterConfig: { Arn: { "Fn::GetAtt": [Match.stringLikeRegexp("^OrderStatusCallbackDLQ"), "Arn"] } },
        }),
      ],
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: policy.retryAttempts,
      MaximumEventAgeInSeconds: policy.maximumEventAgeSeconds,
      DestinationConfig: {
        OnFailure: { Destination: { "Fn::GetAtt": [Match.stringLikeRegexp("^OrderStatusCallbackDLQ"), "Arn"] } },
      },
    });
  });

  it("outputs the WebSocket URL and the bus name", () => {
    expect(Object.keys(raw.Outputs)).toEqual(
      expect.arrayContaining(["WebSocketUrl", "EventBusName", "ManagementEndpoint"]),
    );
  });
});

describe("least privilege", () => {
  const statements = () =>
    resourcesOfType(raw, "AWS::IAM::Policy").flatMap(([id, p]) =>
      p.Properties.PolicyDocument.Statement.map((s: any) => ({ policy: id, ...s })),
    );
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);

  it("grants no wildcard action and no dynamodb:*", () => {
    const wildcards = statements().filter((s) => list(s.Action).some((a: string) => a === "*" || a.endsWith(":*")));
    expect(wildcards).toEqual([]);
  });

  it("grants ManageConnections only on this API's stage: POST to the posting functions, GET to $connect", () => {
    // Prepare
    const manage = statements().filter((s) => list(s.Action).includes("execute-api:ManageConnections"));
    const methodOf = (s: any) =>
      json(s.Resource).includes('/dev/POST/@connections/*"')
        ? "POST"
        : json(s.Resource).includes('/dev/GET/@connections/*"')
          ? "GET"
          : "other";
    // Assess
    for (const s of manage) {
      expect(json(s.Resource)).not.toMatch(/"\*"|\/\*\/\*\//);
      expect(json(s.Resource)).toContain('"Ref":"OrderCallbackAPI');
    }
    expect(manage.map((s) => [s.policy.replace(/ServiceRole.*/, ""), methodOf(s)]).sort()).toEqual([
      [expect.stringMatching(/^OrderWSCallbackFunction/), "POST"],
      [expect.stringMatching(/^OrderWSConnectFunction/), "GET"],
      [expect.stringMatching(/^OrderWSPendingFunction/), "POST"],
    ]);
  });

  // Found from the code and declared once in core (test/infra/permissions.test.ts); spelled out here.
  it("gives each function only the table actions it uses", () => {
    const tableActions = (name: string) =>
      statements()
        .filter((s) => s.policy.startsWith(name))
        .flatMap((s) => list(s.Action))
        .filter((a: string) => a.startsWith("dynamodb:"))
        .sort();
    expect(tableActions("OrderWSConnectFunction")).toEqual([
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
    ]);
    expect(tableActions("OrderWSDisconnectFunction")).toEqual(["dynamodb:UpdateItem"]);
    expect(tableActions("OrderWSPendingFunction")).toEqual(["dynamodb:UpdateItem"]);
    expect(tableActions("OrderWSCallbackFunction")).toEqual([
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
    ]);
  });
});
