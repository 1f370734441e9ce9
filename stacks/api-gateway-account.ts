/**
 * A WebSocket (or REST) API stage can write access logs only once the account's API Gateway settings
 * name a role that may write to CloudWatch Logs (HTTP APIs need none). This sets it, as CDK's RestApi
 * does with `cloudWatchRole: true`: one role per account and region in effect, kept when the stack is
 * removed because other APIs of the account may rely on the setting.
 */
import { Aspects, CfnResource, RemovalPolicy, type Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { CfnAccount } from "aws-cdk-lib/aws-apigateway";
import { ManagedPolicy, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";

export function apiGatewayLogsRole(stack: Stack) {
  const role = new Role(stack, "ApiGatewayCloudWatchRole", {
    assumedBy: new ServicePrincipal("apigateway.amazonaws.com"),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
  });
  const account = new CfnAccount(stack, "ApiGatewayAccount", { cloudWatchRoleArn: role.roleArn });
  // An aspect, so that it wins over SST's default removal policy of a branch stage (applied later).
  const retain = { visit: (node: IConstruct) => node instanceof CfnResource && node.applyRemovalPolicy(RemovalPolicy.RETAIN) };
  Aspects.of(role).add(retain);
  Aspects.of(account).add(retain);
  return account;
}
