import { expect, it } from "vitest";
import { explainAwsError } from "../../src/cli/aws-error-message";

const named = (name: string, message: string, extra: object = {}) =>
  Object.assign(new Error(message), { name, ...extra });

it("explains missing credentials, naming the profile when one was given", () => {
  // Act
  const line = explainAwsError(named("CredentialsProviderError", "Could not load credentials from any providers"), {
    profile: "dev",
  });
  // Assess
  expect(line).toMatch(/^No AWS credentials found for profile "dev" \(Could not load credentials from any providers\)/);
  expect(line).not.toContain("\n");
});

it.each(["ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException"])(
  "explains %s as expired or invalid credentials",
  (name) => {
    expect(explainAwsError(named(name, "The security token included in the request is expired"))).toMatch(
      /credentials are expired or invalid/,
    );
  },
);

it("explains a missing stack as a stage that is not deployed", () => {
  const error = named("ValidationError", "Stack with id dev-awsomepets-callbacks-Callbacks does not exist");
  expect(
    explainAwsError(error, { region: "eu-west-1", stage: "dev", stackName: "dev-awsomepets-callbacks-Callbacks" }),
  ).toBe('Stack dev-awsomepets-callbacks-Callbacks does not exist in eu-west-1. Is stage "dev" deployed in eu-west-1?');
});

it("explains a refused local endpoint, found in the error's cause", () => {
  const error = named("TypeError", "fetch failed", {
    cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
  });
  expect(explainAwsError(error, { endpoint: "http://127.0.0.1:4010" })).toMatch(
    /^Cannot reach http:\/\/127\.0\.0\.1:4010 \(ECONNREFUSED\).*npm start/,
  );
});

it("keeps only the first line of anything else", () => {
  expect(
    explainAwsError(named("ThrottlingException", "Rate exceeded\n    at somewhere"), { region: "us-east-1" }),
  ).toBe("ThrottlingException in us-east-1: Rate exceeded");
});
