/**
 * The deploy refuses a callback-token secret that is missing or under 32 characters, and the app-wide
 * fallback for a stage that keeps data, saying how to fix it.
 */
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { tokenSecretProblem } from "../stacks/secret-policy";

const KEEPS_DATA = true;
const DISPOSABLE = false;

describe("tokenSecretProblem", () => {
  it("refuses a missing secret, naming the command that sets one", () => {
    expect(tokenSecretProblem("prod", {}, KEEPS_DATA)).toMatch(
      /CallbackTokenSecret is not set for stage prod; set one with: npx sst secrets set CallbackTokenSecret .* --stage prod/,
    );
  });

  it("refuses a secret of 31 characters and accepts one of 32 from the stage, or from the fallback on a disposable stage", () => {
    expect(tokenSecretProblem("dev", { CallbackTokenSecret: { value: "x".repeat(31) } }, KEEPS_DATA)).toMatch(
      /has 31 characters; at least 32 are needed/,
    );
    expect(tokenSecretProblem("dev", { CallbackTokenSecret: { value: "x".repeat(32) } }, KEEPS_DATA)).toBeUndefined();
    expect(
      tokenSecretProblem("pr-42", { CallbackTokenSecret: { fallback: "x".repeat(40) } }, DISPOSABLE),
    ).toBeUndefined();
  });

  it("refuses the app-wide fallback for a stage that keeps data, in one line saying what to run", () => {
    const problem = tokenSecretProblem("prod", { CallbackTokenSecret: { fallback: "x".repeat(40) } }, KEEPS_DATA);
    expect(problem).toMatch(
      /^The secret CallbackTokenSecret of stage prod is only the app-wide fallback, which a stage that keeps data refuses .*npx sst secrets set CallbackTokenSecret .* --stage prod/,
    );
    expect(problem).not.toContain("\n");
    // Its own secret wins over the fallback: accepted.
    expect(
      tokenSecretProblem(
        "prod",
        { CallbackTokenSecret: { value: "y".repeat(40), fallback: "x".repeat(40) } },
        KEEPS_DATA,
      ),
    ).toBeUndefined();
  });

  it("refuses, for a stage that keeps data, its own secret or previous secret copied from a fallback", () => {
    const shared = "s".repeat(40);
    expect(
      tokenSecretProblem("prod", { CallbackTokenSecret: { value: shared, fallback: shared } }, KEEPS_DATA),
    ).toMatch(
      /^The secret CallbackTokenSecret of stage prod is the same as an app-wide fallback, which every stage can read; set one with: npx sst secrets set CallbackTokenSecret/,
    );
    expect(
      tokenSecretProblem(
        "prod",
        {
          CallbackTokenSecret: { value: "y".repeat(40), fallback: shared },
          CallbackTokenPreviousSecret: { value: shared },
        },
        KEEPS_DATA,
      ),
    ).toMatch(
      /^The secret CallbackTokenPreviousSecret of stage prod is the same as an app-wide fallback.*npx sst secrets set CallbackTokenPreviousSecret/,
    );
    // A disposable stage may share it.
    expect(
      tokenSecretProblem("pr-42", { CallbackTokenSecret: { value: shared, fallback: shared } }, DISPOSABLE),
    ).toBeUndefined();
  });

  it("decides keeps-data from DISPOSABLE_STAGE as the stacks do: unset keeps data", () => {
    const fallbackOnly = { CallbackTokenSecret: { fallback: "x".repeat(40) } };
    expect(tokenSecretProblem("prod", fallbackOnly, Topology.stageKeepsData({}))).toMatch(/only the app-wide fallback/);
    expect(
      tokenSecretProblem("pr-42", fallbackOnly, Topology.stageKeepsData({ DISPOSABLE_STAGE: "true" })),
    ).toBeUndefined();
  });

  it("accepts no previous secret, refuses a short one, and ignores a fallback one where the functions do", () => {
    const current = { value: "x".repeat(40) };
    expect(
      tokenSecretProblem(
        "prod",
        { CallbackTokenSecret: current, CallbackTokenPreviousSecret: { value: "short" } },
        KEEPS_DATA,
      ),
    ).toMatch(
      /CallbackTokenPreviousSecret of stage prod has 5 characters.*npx sst secrets remove CallbackTokenPreviousSecret --stage prod/,
    );
    expect(
      tokenSecretProblem(
        "prod",
        { CallbackTokenSecret: current, CallbackTokenPreviousSecret: { fallback: "short" } },
        KEEPS_DATA,
      ),
    ).toBeUndefined();
    expect(
      tokenSecretProblem(
        "pr-42",
        { CallbackTokenSecret: current, CallbackTokenPreviousSecret: { fallback: "short" } },
        DISPOSABLE,
      ),
    ).toMatch(/has 5 characters/);
  });
});
