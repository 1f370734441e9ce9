/**
 * `npm run smoke -- --local` as a process (through tsx, as `npm run` starts it) against the real local
 * runtime started in this test process: every check passes (or is a SKIP with its reason), and each
 * assumption broken on purpose in the local gateway (GatewayFaults) fails the run at its own check,
 * named, with exit 1. Plus the usage mistakes: no target, a probe on a stage that keeps data (`--help`
 * and an unknown option: parse-flags.help.test.ts, through `npm run smoke`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayFaults } from "@awsomepets/aws-local/gateway/index";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import { readSmokeFlags } from "../../../src/cli/ops/smoke-options";
import { UsageError } from "../../../src/cli/cli-errors";
import { cliEnv, runCli, startRuntimeWithStateFile } from "../../support/cli";

const NO_STACK = /\n\s+at /;
const CHECKS_IN_ORDER = [
  "dead-letters-before",
  "alarms-before",
  "orders-placed",
  "order-followed",
  "context-on-default",
  "context-on-disconnect",
  "gone-after-close",
  "refuse-no-order-id",
  "refuse-forged-token",
  "refuse-other-orders-token",
  "throttle-frame",
  "dead-letters-after",
  "alarms-after",
];

/** Held by the gateway by reference: each test breaks one assumption, then mends it. */
const faults: { -readonly [K in keyof GatewayFaults]: GatewayFaults[K] } = {};
let runtime: Awaited<ReturnType<typeof startRuntimeWithStateFile>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  runtime = await startRuntimeWithStateFile({ gatewayFaults: faults });
  env = cliEnv({ LOCAL_RUNTIME_STATE_FILE: runtime.stateFile });
});
afterAll(async () => {
  await runtime?.close();
});

const checkLines = (stdout: string) => stdout.split("\n").filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
const smoke = (args: string[]) => runCli("ops/smoke", args, env, 120_000);

describe("npm run smoke -- --local", () => {
  it("passes every check against npm start, the throttle probe included; only the alarms are skipped, with the reason", async () => {
    const result = await smoke(["--local", "--probe-throttle"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = checkLines(result.stdout);
    expect(lines.map((l) => l.split(/[ :]/)[1])).toEqual(CHECKS_IN_ORDER);
    expect(lines.filter((l) => l.startsWith("SKIP")).map((l) => l.split(/[ :]/)[1])).toEqual([
      "alarms-before",
      "alarms-after",
    ]);
    expect(result.stdout).toContain("npm start models no CloudWatch alarms");
    expect(lines.find((l) => l.includes("throttle-frame"))).toMatch(
      /— message, connectionId, requestId: \{"message": "Too Many Requests", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/,
    );
    // The socket's attribute as the store writes it (the layout of docs/decisions/order-item-size.md).
    expect(lines.find((l) => l.includes("context-on-disconnect"))).toMatch(
      new RegExp(`— ${CallbackTable.CONNECTION_ATTRIBUTE_PREFIX}\\S+ gone \\d+ ms after the close$`),
    );
    expect(lines.find((l) => l.includes("order-followed"))).toMatch(
      /placed #1, reserved #2, paid #3, refunded #4, released #5, cancelled #6 in .*placed #1, cancelled #2 in /,
    );
    expect(result.stdout).toMatch(/\n11 passed, 2 skipped, none failed\n$/);
  }, 150_000);

  const broken: Array<[string, GatewayFaults, string]> = [
    [
      "the authorizer's context withheld from $default",
      { withholdAuthorizerContext: ["$default"] },
      "context-on-default",
    ],
    [
      "the authorizer's context withheld from $disconnect",
      { withholdAuthorizerContext: ["$disconnect"] },
      "context-on-disconnect",
    ],
    ["a post to a closed connection answered 200 instead of 410", { goneStatus: 200 }, "gone-after-close"],
  ];
  for (const [what, fault, check] of broken) {
    it(`fails at ${check}, naming it, with ${what}`, async () => {
      Object.assign(faults, fault);
      try {
        const result = await smoke(["--local"]);
        expect(result.code).toBe(1);
        const lines = checkLines(result.stdout);
        // Every check before it passed or was skipped; it is the last line: the run stopped there.
        const at = CHECKS_IN_ORDER.indexOf(check);
        expect(lines.map((l) => l.split(/[ :]/)[1])).toEqual(CHECKS_IN_ORDER.slice(0, at + 1));
        expect(lines.slice(0, at).every((l) => /^(PASS|SKIP) /.test(l))).toBe(true);
        expect(lines.at(-1)).toMatch(new RegExp(`^FAIL ${check}: `));
        if (check === "context-on-disconnect")
          expect(lines.at(-1)).toContain(`— ${CallbackTable.CONNECTION_ATTRIBUTE_PREFIX}`);
        expect(result.stdout).not.toContain("none failed");
        expect(result.stderr).not.toMatch(NO_STACK);
      } finally {
        for (const key of Object.keys(fault)) delete faults[key as keyof GatewayFaults];
      }
    }, 150_000);
  }
});

describe("npm run smoke: usage", () => {
  it("without --stage or --local: exit 2, one line and the usage, no stack trace", async () => {
    const result = await runCli("ops/smoke", [], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^smoke: say which stage to check: --stage <name>, or --local/);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stdout).toBe("");
  });

  it("--probe-throttle on a stage that keeps data is refused before anything is read, exit 2", async () => {
    const result = await runCli(
      "ops/smoke",
      ["--stage", "prod", "--probe-throttle"],
      cliEnv({ DISPOSABLE_STAGE: undefined, AWS_PROFILE: "no-such-profile" }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^smoke: --probe-throttle .*refused on stage prod, which keeps its data/);
    expect(result.stderr).not.toMatch(NO_STACK);
  });

  it("reads the flags: a bad DISPOSABLE_STAGE, both targets, --region without --stage are usage errors", () => {
    expect(() => readSmokeFlags(["--stage", "dev", "--probe-throttle"], { DISPOSABLE_STAGE: "yes" })).toThrow(
      UsageError,
    );
    expect(() => readSmokeFlags(["--stage", "dev", "--local"], {})).toThrow(/not both/);
    expect(() => readSmokeFlags(["--local", "--region", "eu-west-1"], {})).toThrow(/only apply with --stage/);
    expect(() => readSmokeFlags(["--stage", "feature/x"], {})).toThrow(/feature-x/);
    expect(
      readSmokeFlags(["--stage", "dev", "--probe-throttle"], { DISPOSABLE_STAGE: "true", AWS_REGION: "eu-west-1" }),
    ).toEqual({
      target: { kind: "stage", stage: "dev", region: "eu-west-1" },
      probeThrottle: true,
    });
  });
});
