/**
 * The edge (stacks/edge.ts) as CloudFormation: one CLOUDFRONT web ACL of per-address rate rules whose
 * refusal is core's 429 JSON body, on a distribution in front of each API that forwards what the
 * APIs need and logs no token; the URLs customers get go through it; the bill guard alarm. The long
 * branch stage has its own domain (LONG_STAGE_ENV): its APIs' execute-api endpoints are disabled.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { functionLogicalId, resourcesOfType, stageTemplates } from "./template";
import { LONG_STAGE, LONG_STAGE_ENV } from "./synth-setup";

type Stacks = Awaited<ReturnType<typeof stageTemplates>>;
let prod: Stacks;
let long: Stacks;
beforeAll(async () => {
  [prod, long] = await Promise.all([stageTemplates("prod"), stageTemplates(LONG_STAGE)]);
}, 120_000);

const only = (raw: any, type: string) => {
  const found = resourcesOfType(raw, type);
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};
/** CloudFront's managed policies, by their fixed ids (AWS's "Use managed … policies" pages). */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

describe("the web ACL", () => {
  it("is CLOUDFRONT-scoped, allows by default, and holds core's rate rules per IP in order, each refusing with 429 and core's JSON body", () => {
    const acl = only(prod.orders.raw, "AWS::WAFv2::WebACL");
    expect(acl.Scope).toBe("CLOUDFRONT");
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const [key, body] = Object.entries(acl.CustomResponseBodies)[0] as [string, any];
    expect(body).toEqual({ ContentType: "APPLICATION_JSON", Content: Topology.EDGE_REFUSAL.body });
    expect(acl.Rules.map((rule: any) => rule.Name)).toEqual(Object.keys(Topology.EDGE_RULES));
    for (const [i, [name, rule]] of Object.entries(Topology.EDGE_RULES).entries()) {
      const deployed = acl.Rules[i];
      expect(deployed.Priority).toBe(i);
      expect(deployed.Statement.RateBasedStatement).toMatchObject({
        Limit: rule.limit,
        EvaluationWindowSec: rule.windowSeconds,
        AggregateKeyType: "IP",
      });
      expect(deployed.Action.Block.CustomResponse).toEqual({
        ResponseCode: 429,
        CustomResponseBodyKey: key,
        ResponseHeaders: [{ Name: "access-control-allow-origin", Value: "*" }],
      });
      expect(deployed.VisibilityConfig).toMatchObject({ MetricName: name, SampledRequestsEnabled: false });
    }
    expect(acl.VisibilityConfig.SampledRequestsEnabled).toBe(false);
  });

  it("scopes the order rule to POST (whatever the path's spelling) and the connect rule to WebSocket upgrades", () => {
    const [orders, connects, all] = only(prod.orders.raw, "AWS::WAFv2::WebACL").Rules.map(
      (rule: any) => rule.Statement.RateBasedStatement.ScopeDownStatement,
    );
    const matches = (statement: any) => statement.ByteMatchStatement;
    expect(matches(orders)).toMatchObject({
      FieldToMatch: { Method: {} },
      SearchString: "POST",
      PositionalConstraint: "EXACTLY",
    });
    expect(matches(connects)).toMatchObject({
      FieldToMatch: { SingleHeader: { Name: "upgrade" } },
      SearchString: "websocket",
      TextTransformations: [{ Priority: 0, Type: "LOWERCASE" }],
    });
    expect(all).toBeUndefined();
  });

  it("takes the limits set at deploy", () => {
    const acl = only(long.orders.raw, "AWS::WAFv2::WebACL");
    expect(acl.Rules[0].Statement.RateBasedStatement.Limit).toBe(Number(LONG_STAGE_ENV.EDGE_ORDERS_PER_ADDRESS));
  });

  it("logs to CloudWatch with the query string (a link's token) and the Authorization header redacted", () => {
    const logging = only(prod.orders.raw, "AWS::WAFv2::LoggingConfiguration");
    expect(logging.RedactedFields).toEqual([{ QueryString: {} }, { SingleHeader: { Name: "authorization" } }]);
    const [, group] = resourcesOfType(prod.orders.raw, "AWS::Logs::LogGroup").find(([id]) =>
      JSON.stringify(logging.LogDestinationConfigs).includes(id),
    )!;
    expect(JSON.stringify(group.Properties.LogGroupName)).toContain("aws-waf-logs-");
  });
});

describe("the distributions", () => {
  it("put one in front of each API, with the web ACL, no cache, every viewer header but Host, and no access log", () => {
    const distributions = resourcesOfType(prod.orders.raw, "AWS::CloudFront::Distribution").map(
      ([, d]) => d.Properties.DistributionConfig,
    );
    expect(distributions).toHaveLength(2);
    const [aclId] = resourcesOfType(prod.orders.raw, "AWS::WAFv2::WebACL")[0]!;
    for (const config of distributions) {
      expect(config.WebACLId).toEqual({ "Fn::GetAtt": [aclId, "Arn"] });
      expect(config.DefaultCacheBehavior).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ViewerProtocolPolicy: "https-only",
        AllowedMethods: expect.arrayContaining(["GET", "POST", "OPTIONS"]),
      });
      expect(config.Origins[0].CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
      expect(config.Logging).toBeUndefined();
    }
    const origins = JSON.stringify(distributions.map((config) => config.Origins[0].DomainName));
    expect(origins).toContain("execute-api");
    expect(origins).toContain("ImportValue"); // the WebSocket API's, from the Callbacks stack
  });

  it("give customers the edge's URLs: every clientCallbackUrl's base and outputs for operators", () => {
    const createOrder = prod.orders.raw.Resources[functionLogicalId(prod.orders.raw, "CreateOrderFunction")];
    const websocketUrl = JSON.stringify(createOrder.Properties.Environment.Variables[Topology.ENV.websocketUrl]);
    expect(websocketUrl).toContain("wss://");
    expect(websocketUrl).toContain("DomainName"); // the distribution's
    expect(websocketUrl).not.toContain("execute-api");
    expect(Object.keys(prod.orders.raw.Outputs)).toEqual(
      expect.arrayContaining(["EdgeApiUrl", "EdgeWebSocketUrl", "EdgeWebAclArn"]),
    );
  });
});

describe("the way around the edge, closed for every stage", () => {
  /** The Callbacks stack's own UUID, `Fn::Select 2` of its `AWS::StackId` split at "/". */
  const CALLBACKS_UUID = { "Fn::Select": [2, { "Fn::Split": ["/", { Ref: "AWS::StackId" }] }] };

  it.each([
    ["prod", () => prod],
    ["a stage with its own domain", () => long],
  ])(
    "%s: both distributions add the edge's header to every origin request, with the Callbacks stack's UUID",
    (_name, stacks) => {
      const distributions = resourcesOfType(stacks().orders.raw, "AWS::CloudFront::Distribution").map(
        ([, d]) => d.Properties.DistributionConfig,
      );
      expect(distributions).toHaveLength(2);
      const values = distributions.map((config) => {
        const headers = config.Origins[0].OriginCustomHeaders;
        expect(headers).toHaveLength(1);
        expect(headers[0].HeaderName).toBe(OriginVerify.HEADER);
        return headers[0].HeaderValue;
      });
      // The same value on both: the Callbacks stack's UUID, from its StackId as it exports it.
      expect(values[0]).toEqual(values[1]);
      const imported = values[0]["Fn::Select"]?.[1]?.["Fn::Split"]?.[1]?.["Fn::ImportValue"];
      expect(values[0]).toEqual({ "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::ImportValue": imported }] }] });
      const exported = Object.values(
        stacks().callbacks.raw.Outputs as Record<string, { Value: unknown; Export?: { Name: unknown } }>,
      ).find((output) => JSON.stringify(output.Export?.Name) === JSON.stringify(imported));
      expect(exported?.Value).toEqual({ Ref: "AWS::StackId" });
    },
  );

  it("makes the edge's header an identity source of $connect's authorizer (API Gateway answers 401 without it)", () => {
    for (const stacks of [prod, long]) {
      const authorizer = only(stacks.callbacks.raw, "AWS::ApiGatewayV2::Authorizer");
      expect(authorizer.AuthorizerType).toBe("REQUEST");
      expect(authorizer.IdentitySource).toEqual([
        "route.request.querystring.orderId",
        `route.request.header.${OriginVerify.HEADER}`,
      ]);
    }
  });

  it("gives the value to the functions that check it, and to no other", () => {
    for (const stacks of [prod, long]) {
      const authorizerFn =
        stacks.callbacks.raw.Resources[functionLogicalId(stacks.callbacks.raw, "OrderWSAuthorizerFunction")];
      expect(authorizerFn.Properties.Environment.Variables[Topology.ENV.originVerify]).toEqual(CALLBACKS_UUID);
      for (const name of ["CreateOrderFunction", "GetOrderFunction"]) {
        const fn = stacks.orders.raw.Resources[functionLogicalId(stacks.orders.raw, name)];
        expect(JSON.stringify(fn.Properties.Environment.Variables[Topology.ENV.originVerify])).toContain("ImportValue");
      }
      for (const [raw, name] of [
        [stacks.callbacks.raw, "OrderWSConnectFunction"],
        [stacks.orders.raw, "GetCatalogueFunction"],
      ] as const) {
        const fn = raw.Resources[functionLogicalId(raw, name)];
        expect(fn.Properties.Environment?.Variables?.[Topology.ENV.originVerify]).toBeUndefined();
      }
    }
  });

  it("serves viewers over IPv4 only, so a client cannot be a new address per request within its /64", () => {
    for (const stacks of [prod, long]) {
      const distributions = resourcesOfType(stacks.orders.raw, "AWS::CloudFront::Distribution").map(
        ([, d]) => d.Properties.DistributionConfig,
      );
      for (const config of distributions) expect(config.IPV6Enabled).toBe(false);
    }
  });
});

describe("a stage with its own domain", () => {
  it("disables both APIs' execute-api endpoints and serves them from their custom domains behind the edge", () => {
    const { domainName } = { domainName: LONG_STAGE_ENV.EDGE_DOMAIN };
    expect(only(long.callbacks.raw, "AWS::ApiGatewayV2::Api").DisableExecuteApiEndpoint).toBe(true);
    expect(only(long.orders.raw, "AWS::ApiGatewayV2::Api").DisableExecuteApiEndpoint).toBe(true);
    expect(only(long.callbacks.raw, "AWS::ApiGatewayV2::DomainName").DomainName).toBe(`ws-origin.${domainName}`);
    expect(only(long.orders.raw, "AWS::ApiGatewayV2::DomainName").DomainName).toBe(`api-origin.${domainName}`);
    const aliases = resourcesOfType(long.orders.raw, "AWS::CloudFront::Distribution").map(
      ([, d]) => d.Properties.DistributionConfig,
    );
    expect(aliases.map((config) => config.Aliases)).toEqual([[`api.${domainName}`], [`ws.${domainName}`]]);
    for (const config of aliases)
      expect(config.ViewerCertificate).toMatchObject({
        AcmCertificateArn: LONG_STAGE_ENV.EDGE_CERTIFICATE_ARN,
        MinimumProtocolVersion: "TLSv1.2_2021",
        SslSupportMethod: "sni-only",
      });
  });

  it("sends @connections through the WebSocket API's custom domain and clientCallbackUrls through ws.<domain>", () => {
    const connect = long.callbacks.raw.Resources[functionLogicalId(long.callbacks.raw, "OrderWSConnectFunction")];
    expect(connect.Properties.Environment.Variables[Topology.ENV.managementEndpoint]).toBe(
      `https://ws-origin.${LONG_STAGE_ENV.EDGE_DOMAIN}`,
    );
    const createOrder = long.orders.raw.Resources[functionLogicalId(long.orders.raw, "CreateOrderFunction")];
    expect(createOrder.Properties.Environment.Variables[Topology.ENV.websocketUrl]).toBe(
      `wss://ws.${LONG_STAGE_ENV.EDGE_DOMAIN}`,
    );
  });
});

describe("the bill guard", () => {
  const guard = (raw: any) =>
    resourcesOfType(raw, "AWS::CloudWatch::Alarm").find(([id]) =>
      id.startsWith(`${Topology.workflowName(Tunables.DEFAULT_ORDER_WORKFLOW_TYPE)}BillGuardAlarm`),
    )![1].Properties;

  it("alarms the topic when more executions start in 5 minutes than the tunable allows (default from the expected orders/s)", () => {
    const alarm = guard(prod.orders.raw);
    expect(alarm).toMatchObject({
      Namespace: "AWS/States",
      MetricName: "ExecutionsStarted",
      Statistic: "Sum",
      Period: 300,
      Threshold: Tunables.TUNABLES.billGuardExecutions.defaultValue,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm.AlarmActions).toHaveLength(1);
    expect(guard(long.orders.raw).Threshold).toBe(Number(LONG_STAGE_ENV.BILL_GUARD_EXECUTIONS));
  });
});
