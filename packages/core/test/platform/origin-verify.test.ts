import { describe, expect, it } from "vitest";
import * as OriginVerify from "../../src/platform/origin-verify";

const VALUE = "5e1c6a70-3b2f-11ef-9c41-0a1b2c3d4e5f";

describe("OriginVerify.verify", () => {
  it("passes the edge's value, whatever the header name's spelling", () => {
    expect(OriginVerify.verify({ [OriginVerify.HEADER]: VALUE }, VALUE)).toEqual({ ok: true });
    expect(OriginVerify.verify({ "X-Origin-Verify": VALUE }, VALUE)).toEqual({ ok: true });
  });

  it.each([
    ["no headers at all", undefined],
    ["null headers", null],
    ["no such header", { host: "x" }],
    ["an empty value", { [OriginVerify.HEADER]: "" }],
  ])("answers 401 (missing) to %s", (_name, headers) => {
    expect(OriginVerify.verify(headers, VALUE)).toEqual({ ok: false, statusCode: 401, reason: "missing" });
  });

  it.each([
    ["another value", "5e1c6a70-3b2f-11ef-9c41-0a1b2c3d4e50"],
    ["a prefix of it", VALUE.slice(0, 20)],
    ["it with more after it", `${VALUE} `],
    ["it in upper case", VALUE.toUpperCase()],
  ])("answers 403 (wrong) to %s", (_name, given) => {
    expect(OriginVerify.verify({ [OriginVerify.HEADER]: given }, VALUE)).toEqual({
      ok: false,
      statusCode: 403,
      reason: "wrong",
    });
  });

  it("refuses everything when the expected value is too short to be a secret (a misconfiguration)", () => {
    expect(OriginVerify.verify({ [OriginVerify.HEADER]: "" }, "")).toMatchObject({ ok: false, statusCode: 401 });
    expect(OriginVerify.verify({ [OriginVerify.HEADER]: "short" }, "short")).toMatchObject({
      ok: false,
      statusCode: 403,
    });
  });
});
