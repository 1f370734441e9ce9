/** The one stage-name rule of every command: SST's characters, AWS's length limits, and a name to try. */
import { describe, expect, it } from "vitest";
import {
  fitName,
  MAX_STAGE_LENGTH,
  NAME_LIMITS,
  sanitizeStageName,
  STACK_IDS,
  stackNameOf,
  stageNameProblem,
} from "../../src/platform/stage-name";
import { APP_NAME } from "../../src/platform/topology";

describe("stageNameProblem", () => {
  it("accepts SST's stage names up to the longest whose stack names fit CloudFormation's 128 characters", () => {
    // Prepare
    const longest = "a".repeat(MAX_STAGE_LENGTH);
    // Assess
    for (const stage of ["local", "dev", "prod", "feature-jira-1234-add-order-status-cb-v2", "A1-b2", longest])
      expect(stageNameProblem(stage)).toBeUndefined();
    expect(MAX_STAGE_LENGTH).toBe(97);
    expect(Math.max(...STACK_IDS.map((id) => stackNameOf(longest, id).length))).toBe(NAME_LIMITS.stack);
    // The names the app sets itself with the stage in them still fit, shortened with a hash.
    expect(fitName(`${longest}-${APP_NAME}-OrderWorkflow`, NAME_LIMITS.stateMachine).length).toBeLessThanOrEqual(80);
    expect(fitName(`${longest}-${APP_NAME}-orders`, NAME_LIMITS.eventArchive).length).toBeLessThanOrEqual(48);
  });

  it("refuses a branch name with a slash, offering the sanitised name", () => {
    expect(stageNameProblem("feature/jira-1234-add-order-status-cb-v2")).toBe(
      '--stage "feature/jira-1234-add-order-status-cb-v2" is not a stage name: it must start with a letter and hold only letters, digits and hyphens, as it goes into AWS resource names. Try --stage feature-jira-1234-add-order-status-cb-v2',
    );
  });

  it("refuses a stage one character too long, saying which name sets the limit and offering one that fits", () => {
    // Act
    const problem = stageNameProblem("b".repeat(MAX_STAGE_LENGTH + 1));
    // Assess
    expect(problem).toMatch(
      /^--stage is 98 characters long; at most 97 fit, as CloudFormation limits the stack name <stage>-awsomepets-callbacks-Callbacks to 128 characters\. Try --stage b{97}$/,
    );
  });

  it("words the suggestion as the user gave the stage (a variable or a flag)", () => {
    expect(stageNameProblem("a_b", "LOCAL_STAGE")).toMatch(
      /^LOCAL_STAGE "a_b" is not a stage name: .* Try LOCAL_STAGE=a-b$/,
    );
  });

  it.each([
    ["", undefined],
    ["1234", undefined],
    ["feature//x--y/", "feature-x-y"],
    ["7-up", "up"],
    ["Ünïcode branch", "n-code-branch"],
  ])("sanitises %j to %j", (input, expected) => {
    expect(sanitizeStageName(input)).toBe(expected);
    if (expected) expect(stageNameProblem(expected)).toBeUndefined();
  });

  it("says nothing to try when nothing valid is left", () => {
    expect(stageNameProblem("1234")).toMatch(/is not a stage name: .*resource names\.$/);
    expect(stageNameProblem("")).toMatch(/^--stage "" is not a stage name/);
  });
});
