import { describe, expect, it } from "vitest";
import { HelpRequested, UsageError } from "../../src/cli/cli-errors";
import { readPublishOptions } from "../../src/cli/publish-status-options";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const NOW = new Date("2026-11-26T10:00:00.000Z");
const files: Record<string, string> = {
  "events.json": JSON.stringify([
    { orderId: ORDER, status: "placed" },
    { orderId: ORDER, status: "completed" },
  ]),
};
const deps = (env: NodeJS.ProcessEnv = {}) => ({
  env,
  now: NOW,
  readFile: (file: string) => {
    if (!(file in files)) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    return files[file]!;
  },
});
const read = (argv: string[], env?: NodeJS.ProcessEnv) => readPublishOptions(argv, deps(env));

describe("publish-status arguments", () => {
  it("defaults to the local runtime and one detail from the flags", () => {
    // Act
    const options = read(["--order-id", ORDER, "--status", "placed"]);
    // Assess
    expect(options).toEqual({
      target: { kind: "local" },
      details: [{ orderId: ORDER, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }],
    });
  });

  it("takes local endpoint and bus overrides", () => {
    const options = read([
      "--order-id",
      ORDER,
      "--status",
      "placed",
      "--local",
      "--endpoint-url",
      "http://127.0.0.1:9",
      "--event-bus-name",
      "b",
    ]);
    expect(options.target).toEqual({ kind: "local", endpointUrl: "http://127.0.0.1:9", eventBusName: "b" });
  });

  it("targets a stage with the region from AWS_REGION, --region winning, and the profile", () => {
    expect(
      read(["--order-id", ORDER, "--status", "placed", "--stage", "dev"], { AWS_REGION: "eu-west-1" }).target,
    ).toEqual({
      kind: "stage",
      stage: "dev",
      region: "eu-west-1",
    });
    expect(
      read(["--order-id", ORDER, "--status", "placed", "--stage", "dev", "--region", "ap-south-1", "--profile", "p"], {
        AWS_REGION: "eu-west-1",
      }).target,
    ).toEqual({
      kind: "stage",
      stage: "dev",
      region: "ap-south-1",
      profile: "p",
    });
    expect(read(["--order-id", ORDER, "--status", "placed", "--stage", "dev"]).target).toMatchObject({
      region: "us-east-1",
    });
  });

  it("reads the details of --file in order", () => {
    const options = read(["--file", "events.json"]);
    expect(options.details.map((d) => d.status)).toEqual(["placed", "completed"]);
  });

  it.each([
    [["--order-id", ORDER, "--status", "placed", "--colour", "red"], /Unknown option '--colour'/, true],
    [["--order-id", ORDER], /give --order-id and --status, or --file/, true],
    [["--file", "events.json", "--status", "placed"], /--file cannot be combined with --status/, true],
    [
      ["--order-id", ORDER, "--status", "placed", "--stage", "dev", "--local"],
      /--local cannot be combined with --stage/,
      true,
    ],
    [["--order-id", ORDER, "--status", "placed", "--profile", "p"], /--profile only apply with --stage/, true],
    [
      ["--order-id", ORDER, "--status", "placed", "--stage", "dev/x"],
      /--stage "dev\/x" is not a stage name: .* Try --stage dev-x$/,
      false,
    ],
    [["--file", "missing.json"], /cannot read missing\.json: ENOENT/, false],
    [["--order-id", ORDER, "--status", "placed", "extra"], /Unexpected argument 'extra'/, true],
  ])("rejects %j", (argv, message, showUsage) => {
    // Act
    const run = () => read(argv);
    // Assess
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as UsageError).showUsage).toBe(showUsage);
    }
  });

  it("asks for help with --help", () => {
    expect(() => read(["--help"])).toThrow(HelpRequested);
  });
});
