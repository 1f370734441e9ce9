/** PutEvents validation (per request and per entry) and the envelope of accepted events. */
import { describe, expect, it } from "vitest";
import { DETAIL_TYPE, EVENT_SOURCE, statusEntry } from "../support/fixtures";
import {
  handlePutEvents,
  MAX_DETAIL_DEPTH,
  MAX_REQUEST_ENTRY_BYTES,
  PutEventsRequestError,
} from "@awsomepets/aws-local/eventbridge/put-events";

const NOW = new Date("2025-03-04T05:06:07.890Z");
const ctx = (overrides: Partial<Parameters<typeof handlePutEvents>[1]> = {}) => ({
  buses: ["orders"],
  account: "123456789012",
  region: "eu-west-1",
  now: () => NOW,
  ...overrides,
});
const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: "com.mycompany.myapp",
  DetailType: "myDetailType",
  Detail: '{ "key1": "value1", "key2": "value2" }',
  ...overrides,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestError(body: unknown): PutEventsRequestError {
  try {
    handlePutEvents(body, ctx());
  } catch (error) {
    if (error instanceof PutEventsRequestError) return error;
    throw error;
  }
  throw new Error("expected a request-level error");
}

describe("handlePutEvents: request-level validation", () => {
  const cases: Array<[why: string, body: unknown, type: string, message: RegExp]> = [
    ["body is not an object", [entry()], "SerializationException", /JSON object/],
    ["Entries missing", {}, "ValidationException", /'entries' .*must not be null/],
    ["Entries empty", { Entries: [] }, "ValidationException", /length greater than or equal to 1/],
    [
      "11 entries",
      { Entries: Array.from({ length: 11 }, () => entry()) },
      "ValidationException",
      /length less than or equal to 10/,
    ],
    ["Entries not a list", { Entries: "x" }, "SerializationException", /must be a list/],
    [
      "an entry is not an object",
      { Entries: [entry(), 42] },
      "SerializationException",
      /Entries\[1\] must be a JSON object/,
    ],
    [
      "Source of the wrong type",
      { Entries: [entry({ Source: 7 })] },
      "SerializationException",
      /Entries\[0\]\.Source must be a string/,
    ],
    [
      "Resources not strings",
      { Entries: [entry({ Resources: [1] })] },
      "SerializationException",
      /Resources must be a list of strings/,
    ],
    [
      "entries over 256 KB in total",
      {
        Entries: Array.from({ length: 2 }, () =>
          entry({ Detail: JSON.stringify({ pad: "x".repeat(MAX_REQUEST_ENTRY_BYTES / 2) }) }),
        ),
      },
      "ValidationException",
      /Total size of the entries in the request is over the limit/,
    ],
  ];

  it.each(cases)("rejects the request: %s", (_why, body, type, message) => {
    // Prepare: the request body comes from the table.
    // Act
    const error = requestError(body);
    // Assess
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
  });

  it("accepts 10 entries and a request just under 256 KB", () => {
    // Prepare: the size counts Source, DetailType and Detail bytes, per the user guide.
    const fixed =
      Buffer.byteLength("com.mycompany.myapp") + Buffer.byteLength("myDetailType") + Buffer.byteLength('{"pad":""}');
    const big = entry({ Detail: JSON.stringify({ pad: "x".repeat(MAX_REQUEST_ENTRY_BYTES - fixed) }) });
    // Act
    const ten = handlePutEvents({ Entries: Array.from({ length: 10 }, () => entry()) }, ctx());
    const exactlyAtLimit = handlePutEvents({ Entries: [big] }, ctx());
    // Assess
    expect(ten.response.FailedEntryCount).toBe(0);
    expect(ten.accepted).toHaveLength(10);
    expect(exactlyAtLimit.accepted).toHaveLength(1);
  });
});

describe("handlePutEvents: per-entry validation", () => {
  const cases: Array<[why: string, overrides: Record<string, unknown>, code: string, message: RegExp]> = [
    ["Source missing", { Source: undefined }, "InvalidArgument", /Parameter Source is not valid/],
    ["Source empty", { Source: "" }, "InvalidArgument", /Parameter Source is not valid/],
    ["DetailType missing", { DetailType: undefined }, "InvalidArgument", /Parameter DetailType is not valid/],
    ["Detail missing", { Detail: undefined }, "InvalidArgument", /Parameter Detail is not valid/],
    ["Detail is not JSON", { Detail: "{not json" }, "MalformedDetail", /Detail is malformed/],
    ["Detail is a JSON array", { Detail: "[1, 2]" }, "MalformedDetail", /Detail is malformed/],
    ["Detail is a JSON string", { Detail: '"text"' }, "MalformedDetail", /Detail is malformed/],
    ["Time is not a time", { Time: "yesterday" }, "InvalidArgument", /Parameter Time is not valid/],
    ["unknown bus by name", { EventBusName: "payments" }, "InvalidArgument", /Event bus payments does not exist/],
    [
      "unknown bus by ARN",
      { EventBusName: "arn:aws:events:eu-west-1:123456789012:event-bus/payments" },
      "InvalidArgument",
      /Event bus payments does not exist/,
    ],
    [
      "a source reserved for AWS services",
      { Source: "aws.ec2" },
      "NotAuthorizedForSourceException",
      /Not authorized for the source/,
    ],
    [
      "Detail nested deeper than the limit",
      { Detail: `${'{"a":'.repeat(MAX_DETAIL_DEPTH + 1)}1${"}".repeat(MAX_DETAIL_DEPTH + 1)}` },
      "MalformedDetail",
      /Detail is malformed/,
    ],
    [
      "Detail nested 40 000 deep (it once broke GET /dead-letters)",
      { Detail: `{"a":${"[".repeat(40_000)}${"]".repeat(40_000)}}` },
      "MalformedDetail",
      /Detail is malformed/,
    ],
  ];

  it("accepts a Detail nested exactly as deep as the limit", () => {
    // Act
    const { response } = handlePutEvents(
      { Entries: [entry({ Detail: `${'{"a":'.repeat(MAX_DETAIL_DEPTH)}1${"}".repeat(MAX_DETAIL_DEPTH)}` })] },
      ctx(),
    );
    // Assess
    expect(response.FailedEntryCount).toBe(0);
  });

  it("rejects the whole request when a DetailType is over 128 characters", () => {
    // Prepare
    const body = { Entries: [entry(), entry({ DetailType: "x".repeat(129) })] };
    // Act
    const put = () => handlePutEvents(body, ctx());
    // Assess
    expect(put).toThrow(PutEventsRequestError);
    expect(put).toThrow(/entries\.2\.member\.detailType.*less than or equal to 128/);
    expect(() => handlePutEvents({ Entries: [entry({ DetailType: "x".repeat(128) })] }, ctx())).not.toThrow();
  });

  it.each(cases)("fails only the entry: %s", (_why, overrides, code, message) => {
    // Prepare
    const body = { Entries: [entry(), entry(overrides), entry()] };
    // Act
    const { response, accepted } = handlePutEvents(body, ctx());
    // Assess
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries).toHaveLength(3);
    expect(response.Entries[0]).toEqual({ EventId: expect.stringMatching(UUID) });
    expect(response.Entries[1]).toEqual({ ErrorCode: code, ErrorMessage: expect.stringMatching(message) });
    expect(response.Entries[2]).toEqual({ EventId: expect.stringMatching(UUID) });
    expect(accepted.map(({ event }) => event.id)).toEqual(
      [response.Entries[0], response.Entries[2]].map((e) => (e as { EventId: string }).EventId),
    );
  });

  it("counts every failed entry and keeps the request order", () => {
    // Prepare
    const body = {
      Entries: [entry({ Detail: "nope" }), entry(), entry({ Source: undefined }), entry({ EventBusName: "nope" })],
    };
    // Act
    const { response } = handlePutEvents(body, ctx());
    // Assess
    expect(response.FailedEntryCount).toBe(3);
    expect(response.Entries.map((e) => ("ErrorCode" in e ? e.ErrorCode : "ok"))).toEqual([
      "MalformedDetail",
      "ok",
      "InvalidArgument",
      "InvalidArgument",
    ]);
  });

  it("gives each accepted entry its own event id", () => {
    // Prepare
    const body = { Entries: [entry(), entry(), entry()] };
    // Act
    const { response } = handlePutEvents(body, ctx());
    // Assess
    const ids = response.Entries.map((e) => (e as { EventId: string }).EventId);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("handlePutEvents: envelope of an accepted event", () => {
  it("builds the event rules see, on the addressed bus", () => {
    // Prepare
    const detail = {
      orderId: "7f3e2a1c-5b4d-4c8e-9f6a-1b2c3d4e5f60",
      status: "paid" as const,
      occurredAt: "2025-03-04T05:06:07.000Z",
    };
    const body = {
      Entries: [{ ...statusEntry(detail, "orders"), Resources: ["arn:aws:states:eu-west-1:123456789012:execution:x"] }],
    };
    // Act
    const { accepted, response } = handlePutEvents(
      body,
      ctx({ newEventId: () => "11710aed-b79e-4468-a20b-bb3c0c3b4860" }),
    );
    // Assess
    expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: "11710aed-b79e-4468-a20b-bb3c0c3b4860" }] });
    expect(accepted).toEqual([
      {
        busName: "orders",
        event: {
          version: "0",
          id: "11710aed-b79e-4468-a20b-bb3c0c3b4860",
          "detail-type": DETAIL_TYPE,
          source: EVENT_SOURCE,
          account: "123456789012",
          time: "2025-03-04T05:06:07Z",
          region: "eu-west-1",
          resources: ["arn:aws:states:eu-west-1:123456789012:execution:x"],
          detail,
        },
      },
    ]);
  });

  const times: Array<[why: string, time: unknown, expected: string]> = [
    ["no Time: the time of the call", undefined, "2025-03-04T05:06:07Z"],
    ["epoch seconds, as the SDK and CLI send", 1513968228, "2017-12-22T18:43:48Z"],
    ["fractional epoch seconds", 1513968228.75, "2017-12-22T18:43:48Z"],
    ["an RFC 3339 string", "2016-01-14T01:02:03Z", "2016-01-14T01:02:03Z"],
  ];

  it.each(times)("sets time from %s", (_why, time, expected) => {
    // Prepare
    const body = { Entries: [entry(time === undefined ? {} : { Time: time })] };
    // Act
    const { accepted } = handlePutEvents(body, ctx());
    // Assess
    expect(accepted[0]!.event.time).toBe(expected);
  });

  it("sends entries without EventBusName to the default bus and resolves ARNs to names", () => {
    // Prepare
    const body = {
      Entries: [
        entry(),
        entry({ EventBusName: "arn:aws:events:eu-west-1:123456789012:event-bus/orders" }),
        entry({ EventBusName: "default" }),
      ],
    };
    // Act
    const { accepted } = handlePutEvents(body, ctx());
    // Assess
    expect(accepted.map((a) => a.busName)).toEqual(["default", "orders", "default"]);
    expect(accepted[0]!.event.resources).toEqual([]);
  });
});
