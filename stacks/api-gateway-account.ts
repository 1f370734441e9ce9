/**
 * A WebSocket API stage can log only once API Gateway's account settings name a CloudWatch role (HTTP
 * APIs need none). That setting is one per account and region, so no stage owns it: a custom resource
 * (packages/functions/src/deploy/api-gateway-account.ts) keeps any role already set, else sets
 * `Topology.API_GATEWAY_LOGS_ROLE_NAME` (created outside every stack), and leaves both in place
 * when the stage is removed. Why not `AWS::ApiGateway::Account`: docs/decisions/api-gateway-account-role.md.
 */
import { CustomResource, type Stack } from "aws-cdk-lib";
import { Function as SstFunction } from "sst/constructs";
import * as Topology from "@awsomepets/core/platform/topology";

import { runtimeProps } from "./function-runtime";
import { policyStatementsOf } from "./permissions";
import { logGroup, type OperationsConfig } from "./operations";

const NAME = "ApiGatewayAccountFunction" satisfies Topology.DeployFunctionName;

export function apiGatewayLogsRole(stack: Stack, operations: OperationsConfig) {
  const roleArn = stack.formatArn({
    service: "iam",
    region: "",
    resource: "role",
    resourceName: Topology.API_GATEWAY_LOGS_ROLE_NAME,
  });
  const pushToLogs = `arn:${stack.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`;
  const fn = new SstFunction(stack, NAME, {
    handler: Topology.DEPLOY_FUNCTIONS[NAME],
    ...runtimeProps(NAME),
    logGroup: logGroup(stack, `${NAME}Logs`, operations),
    // Runs inside CloudFormation's deploy: never proxied to a laptop by `sst dev`.
    enableLiveDev: false,
    // Core's declaration (Permissions.FUNCTION_GRANTS) names the actions; the role only by its name,
    // and AttachRolePolicy only of AWS's push-to-CloudWatch policy.
    permissions: policyStatementsOf(NAME, {
      ApiGatewayAccount: { arn: `arn:${stack.partition}:apigateway:${stack.region}::/account` },
      ApiGatewayLogsRole: { arn: roleArn },
      ApiGatewayLogsRolePolicy: { arn: roleArn, conditions: { ArnEquals: { "iam:PolicyARN": pushToLogs } } },
    }),
  });
  return new CustomResource(stack, "ApiGatewayAccountLogsRole", {
    serviceToken: fn.functionArn,
    resourceType: "Custom::ApiGatewayAccountLogsRole",
    properties: { RoleName: Topology.API_GATEWAY_LOGS_ROLE_NAME },
  });
}
