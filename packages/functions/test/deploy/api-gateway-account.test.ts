/**
 * The custom resource that sets API Gateway's account-wide CloudWatch role: it keeps a role already
 * set, sets its own only when none is, rides out the new role's propagation (aws/aws-cdk#2194), never
 * touches anything on Delete, and always answers CloudFormation.
 */
import { describe, expect, it } from "vitest";
import {
  ensureAccountLogsRole,
  respond,
  type AccountApi,
  type CustomResourceEvent,
} from "../../src/deploy/api-gateway-account";

const ROLE = "arn:aws:iam::123456789012:role/awsomepets-callbacks-apigateway-cloudwatch-logs";

function fakeApi(current: string | undefined, failures: string[] = []) {
  const calls: string[] = [];
  const api: AccountApi = {
    async cloudWatchRoleArn() {
      calls.push("get");
      return current;
    },
    async ensureRole(name) {
      calls.push(`ensureRole ${name}`);
      return ROLE;
    },
    async setCloudWatchRoleArn(arn) {
      calls.push(`set ${arn}`);
      const failure = failures.shift();
      if (failure) throw new Error(failure);
      current = arn;
    },
  };
  return { api, calls };
}

const clock = () => {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
};

describe("ensureAccountLogsRole", () => {
  it("keeps a role the account already has, creating nothing", async () => {
    const { api, calls } = fakeApi("arn:aws:iam::123456789012:role/other-teams-role");
    expect(await ensureAccountLogsRole(api, { roleName: "r", deadline: 1e9 })).toEqual({
      roleArn: "arn:aws:iam::123456789012:role/other-teams-role",
      action: "kept",
    });
    expect(calls).toEqual(["get"]);
  });

  it("creates or reuses the app's role and sets it when none is set, retrying while it propagates", async () => {
    const { api, calls } = fakeApi(undefined, [
      "The role ARN does not have required permissions set to API Gateway",
      "The role ARN does not have required permissions set to API Gateway",
    ]);
    const c = clock();
    expect(await ensureAccountLogsRole(api, { roleName: "r", deadline: 60_000, ...c })).toEqual({
      roleArn: ROLE,
      action: "set",
    });
    expect(calls).toEqual(["get", "ensureRole r", `set ${ROLE}`, `set ${ROLE}`, `set ${ROLE}`]);
    expect(c.now()).toBe(2_000 + 4_000);
  });

  it("gives up at the deadline, and at once on any other error", async () => {
    const c = clock();
    const stuck = fakeApi(
      undefined,
      Array(20).fill("The role ARN does not have required permissions set to API Gateway"),
    );
    await expect(ensureAccountLogsRole(stuck.api, { roleName: "r", deadline: 20_000, ...c })).rejects.toThrow(
      /required permissions/,
    );
    expect(c.now()).toBeLessThanOrEqual(20_000);
    const denied = fakeApi(undefined, ["User is not authorized to perform: apigateway:PATCH"]);
    await expect(ensureAccountLogsRole(denied.api, { roleName: "r", deadline: 1e9, ...clock() })).rejects.toThrow(
      /apigateway:PATCH/,
    );
    expect(denied.calls.filter((call) => call.startsWith("set"))).toHaveLength(1);
  });
});

describe("respond", () => {
  const event = (RequestType: CustomResourceEvent["RequestType"]): CustomResourceEvent => ({
    RequestType,
    ResponseURL: "https://cloudformation-custom-resource-response.example/x",
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-awsomepets-callbacks-Callbacks/uuid",
    RequestId: "req",
    LogicalResourceId: "ApiGatewayAccountLogsRole",
    ResourceProperties: {},
  });
  const capture = () => {
    const sent: any[] = [];
    return { sent, put: async (_url: string, body: string) => void sent.push(JSON.parse(body)) };
  };

  it("reports success with the role in use, under one physical id", async () => {
    const { sent, put } = capture();
    await respond(event("Create"), async () => ({ roleArn: ROLE, action: "set" }), put);
    expect(sent).toEqual([
      expect.objectContaining({
        Status: "SUCCESS",
        PhysicalResourceId: "api-gateway-account-cloudwatch-role",
        RequestId: "req",
        Data: { RoleArn: ROLE, Action: "set" },
      }),
    ]);
  });

  it("reports a failure with its reason instead of leaving CloudFormation waiting", async () => {
    const { sent, put } = capture();
    await respond(
      event("Update"),
      async () => {
        throw new Error("boom");
      },
      put,
    );
    expect(sent[0]).toMatchObject({ Status: "FAILED", Reason: "API Gateway's CloudWatch role: boom" });
  });
});
