/**
 * Names within AWS's limits for a long branch stage: every physical name the templates set, for a
 * 40-character stage, against the limit of its resource type.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { fitName, NAME_LIMITS } from "../../stacks/names";
import { LONG_STAGE } from "./synth-setup";

/** Resource type → its name property and AWS's maximum length for it. */
const LIMITS: Record<string, [property: string, max: number]> = {
  "AWS::Events::Rule": ["Name", 64],
  "AWS::Events::EventBus": ["Name", NAME_LIMITS.eventBus],
  "AWS::Events::Archive": ["ArchiveName", NAME_LIMITS.eventArchive],
  "AWS::StepFunctions::StateMachine": ["StateMachineName", NAME_LIMITS.stateMachine],
  "AWS::ApiGatewayV2::Api": ["Name", NAME_LIMITS.httpApi],
  "AWS::ApiGatewayV2::Stage": ["StageName", 128],
  "AWS::DynamoDB::Table": ["TableName", 255],
  "AWS::Lambda::Function": ["FunctionName", 64],
  "AWS::SQS::Queue": ["QueueName", 80],
  "AWS::SNS::Topic": ["TopicName", 256],
  "AWS::IAM::Role": ["RoleName", 64],
  "AWS::Logs::LogGroup": ["LogGroupName", 512],
  "AWS::CloudWatch::Alarm": ["AlarmName", 255],
  "AWS::S3::Bucket": ["BucketName", 63],
};

let templates: Array<{ file: string; raw: any }>;
beforeAll(() => {
  const dir = path.join(inject("synthDir"), LONG_STAGE);
  templates = readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ file, raw: JSON.parse(readFileSync(path.join(dir, file), "utf8")) }));
});

describe(`a ${LONG_STAGE.length}-character stage (${LONG_STAGE})`, () => {
  it("synthesizes every stack, each stack name within CloudFormation's 128 characters", () => {
    expect(templates.map((t) => t.file.replace(/\.json$/, "")).sort()).toEqual(
      ["Callbacks", "Orders", "Web"].map((s) => `${LONG_STAGE}-awsomepets-callbacks-${s}`),
    );
    for (const { file } of templates) expect(file.length - ".json".length).toBeLessThanOrEqual(NAME_LIMITS.stack);
  });

  it("sets every literal physical name within its resource type's limit", () => {
    // Prepare
    const names = templates.flatMap(({ raw }) =>
      Object.entries(raw.Resources).flatMap(([id, r]: [string, any]) => {
        const limit = LIMITS[r.Type];
        const name = limit && r.Properties?.[limit[0]];
        return typeof name === "string" ? [{ id, type: r.Type, name, max: limit![1] }] : [];
      }),
    );
    // Assess: the check saw the names that carry the stage, and none is too long
    expect(names.map((n) => n.type)).toEqual(
      expect.arrayContaining(["AWS::Events::Archive", "AWS::StepFunctions::StateMachine"]),
    );
    expect(names.filter((n) => n.name.length > n.max)).toEqual([]);
  });

  it("leaves the event rules' names to CloudFormation (SST's would exceed 64 characters)", () => {
    const rules = templates.flatMap(({ raw }) =>
      Object.values(raw.Resources).filter((r: any) => r.Type === "AWS::Events::Rule"),
    );
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const rule of rules as any[]) expect(rule.Properties.Name).toBeUndefined();
  });
});

describe("fitName", () => {
  it("keeps a name that fits and shortens one that does not with a hash of the whole", () => {
    expect(fitName("dev-app-orders", 48)).toBe("dev-app-orders");
    const long = `${LONG_STAGE}-awsomepets-callbacks-orders`;
    const fitted = fitName(long, 48);
    expect(fitted.length).toBeLessThanOrEqual(48);
    expect(fitted).toMatch(/^feature-payments-refactor-and-more-xyz1-[0-9a-f]{8}$/);
    expect(fitName(`${long}2`, 48)).not.toBe(fitted); // two stages sharing a long head still differ
  });
});
