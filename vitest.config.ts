import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { JAVA, missingToolNotice } from "./test/support/outside-tools";

// Without Java (and without a DynamoDB API given by hand) the second engine's project is left out,
// with one line saying so; under CI=true this throws instead (test/support/outside-tools.ts).
const javaMissing = process.env.TEST_DYNAMODB_ENDPOINT
  ? undefined
  : missingToolNotice(JAVA, "project dynamodb-local (core and handler tests on AWS's DynamoDB Local)");
// Vitest evaluates this file once per project too: say it once per run.
const said = globalThis as { javaNoticeSaid?: boolean };
if (javaMissing && !said.javaNoticeSaid) console.warn(javaMissing);
said.javaNoticeSaid = true;

export default defineConfig({
  // Test support shared across packages is imported as `@test-support/<module>` (tsconfig.json's
  // `paths` says the same to tsc); docs/decisions/shared-test-support.md says why an alias. Inside the
  // workspace `@awsomepets/client` is its sources, not its build (docs/decisions/client-package.md).
  resolve: {
    alias: [
      { find: /^@test-support\//, replacement: fileURLToPath(new URL("./test/support/", import.meta.url)) },
      {
        find: /^@awsomepets\/client$/,
        replacement: fileURLToPath(new URL("./packages/client/src/index.ts", import.meta.url)),
      },
    ],
  },
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
      ...(javaMissing
        ? []
        : [
            {
              // The store and handler tests again, on AWS's DynamoDB Local (test/support/dynamodb-local.ts).
              extends: true as const,
              test: {
                name: "dynamodb-local",
                include: ["packages/core/test/**/*.test.ts", "packages/functions/test/**/*.test.ts"],
                // Bundles the handlers and reads no table: once, in unit-and-e2e, is enough.
                exclude: [...configDefaults.exclude, "packages/functions/test/lib/env.bundles.test.ts"],
                globalSetup: ["test/support/global-setup.ts"],
                provide: { dynamodbEngine: "dynamodb-local" },
              },
            },
          ]),
      {
        // Synthesizes the stacks once (offline) before its tests; see test/infra/synth-setup.ts.
        extends: true,
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], globalSetup: ["test/infra/synth-setup.ts"] },
      },
    ],
  },
});
