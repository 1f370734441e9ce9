import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend with the servers the tests start.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: "unit-and-e2e",
          include: ["packages/*/test/**/*.test.ts", "test/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      {
        // The store and handler tests again, on AWS's DynamoDB Local (test/support/dynamodb-local.ts).
        extends: true,
        test: {
          name: "dynamodb-local",
          include: ["packages/core/test/**/*.test.ts", "packages/functions/test/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          provide: { dynamodbEngine: "dynamodb-local" },
        },
      },
      {
        // Synthesizes the stacks once (offline) before its tests; see test/infra/synth-setup.ts.
        extends: true,
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], globalSetup: ["test/infra/synth-setup.ts"] },
      },
    ],
  },
});
