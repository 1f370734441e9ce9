/** A production stage keeps its data: synthesized separately (SST's App is one per process). */
import { beforeAll, describe, it } from "vitest";
import type { Template } from "aws-cdk-lib/assertions";
import { callbacksTemplate } from "./template";

let template: Template;
beforeAll(async () => {
  ({ template } = await callbacksTemplate("prod"));
}, 120_000);

describe("stage prod", () => {
  it("retains ClientCallbackTbl and keeps point-in-time recovery on", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    });
  });
});
