/** The deploy refuses a callback-token secret that is missing or under 32 characters, saying how to fix it. */
import { describe, expect, it } from "vitest";
import { tokenSecretProblem } from "../stacks/secret-policy";

describe("tokenSecretProblem", () => {
  it("refuses a missing secret, naming the command that sets one", () => {
    expect(tokenSecretProblem("prod", {})).toMatch(/CallbackTokenSecret is not set for stage prod; set one with: npx sst secrets set CallbackTokenSecret .* --stage prod/);
  });

  it("refuses a secret of 31 characters and accepts one of 32, from the stage or the fallback", () => {
    expect(tokenSecretProblem("dev", { CallbackTokenSecret: { value: "x".repeat(31) } })).toMatch(/has 31 characters; at least 32 are needed/);
    expect(tokenSecretProblem("dev", { CallbackTokenSecret: { value: "x".repeat(32) } })).toBeUndefined();
    expect(tokenSecretProblem("dev", { CallbackTokenSecret: { fallback: "x".repeat(40) } })).toBeUndefined();
  });
});
