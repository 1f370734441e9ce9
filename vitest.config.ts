import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend with the servers the tests start.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: { name: "unit-and-e2e", include: ["packages/*/test/**/*.test.ts", "test/*.test.ts"] },
      },
      {
        // Synthesizes the stacks once (offline) before its tests; see test/infra/synth-setup.ts.
        extends: true,
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], globalSetup: ["test/infra/synth-setup.ts"] },
      },
    ],
  },
});
