/**
 * Express's 5-minute limit is declared once for the app (core's Topology: the stacks' definition and
 * bench/capacity/quotas.ts) and once in the emulator (aws-local imports nothing from the app): they
 * must say the same, or `npm start` would cut orders at another time than AWS.
 */
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { EXPRESS_MAX_DURATION_MS } from "@awsomepets/aws-local/stepfunctions/executions";

describe("Express's maximum duration", () => {
  it("is the same in core and in the local Step Functions", () => {
    expect(EXPRESS_MAX_DURATION_MS).toBe(Topology.EXPRESS_MAX_DURATION_SECONDS * 1000);
  });
});
