/**
 * Event-pattern matching, with cases adapted from the examples of the Amazon EventBridge user guide
 * ("Content filtering in event patterns", "Comparison operators", "Arrays in event patterns",
 * "Matching null values and empty strings"). Every operator has a matching and a non-matching event.
 */
import { describe, expect, it } from "vitest";
import { matches, validatePattern, EventPatternError } from "@awsomepets/aws-local/eventbridge/pattern";

/** The user guide's EC2 state-change event, with `detail` fields replaced per case. */
function ec2Event(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "111122223333",
    time: "2017-12-22T18:43:48Z",
    region: "us-west-1",
    resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    detail: { "instance-id": "i-1234567890abcdef0", state: "terminated", ...detail },
    ...envelope,
  };
}

type Case = [operator: string, pattern: object, event: object, expected: boolean];

const cases: Case[] = [
  // Exact values, AND across fields, nested objects.
  [
    "exact: source, detail-type and nested state",
    {
      source: ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      detail: { state: ["terminated"] },
    },
    ec2Event(),
    true,
  ],
  [
    "exact: nested state differs",
    { source: ["aws.ec2"], detail: { state: ["terminated"] } },
    ec2Event({ state: "running" }),
    false,
  ],
  [
    "exact: list of allowed values",
    { source: ["aws.ec2", "aws.fargate"] },
    ec2Event({}, { source: "aws.fargate" }),
    true,
  ],
  [
    "exact: list of allowed values, none equal",
    { source: ["aws.ec2", "aws.fargate"] },
    ec2Event({}, { source: "aws.s3" }),
    false,
  ],
  ["exact: field named in the pattern is absent", { detail: { "c-count": [5] } }, ec2Event(), false],
  ["exact: empty string", { detail: { eventVersion: [""] } }, ec2Event({ eventVersion: "" }), true],
  [
    "exact: empty string does not match null",
    { detail: { eventVersion: [""] } },
    ec2Event({ eventVersion: null }),
    false,
  ],
  ["exact: null", { detail: { responseElements: [null] } }, ec2Event({ responseElements: null }), true],
  [
    "exact: null does not match empty string",
    { detail: { responseElements: [null] } },
    ec2Event({ responseElements: "" }),
    false,
  ],
  ["exact: number", { detail: { "x-limit": [301.8] } }, ec2Event({ "x-limit": 3.018e2 }), true],
  [
    "exact: number does not match its string",
    { detail: { "x-limit": [301.8] } },
    ec2Event({ "x-limit": "301.8" }),
    false,
  ],
  ["exact: boolean", { detail: { enabled: [true] } }, ec2Event({ enabled: true }), true],
  ["exact: boolean does not match its string", { detail: { enabled: [true] } }, ec2Event({ enabled: "true" }), false],
  ["exact: case-sensitive", { detail: { state: ["Terminated"] } }, ec2Event(), false],

  // Arrays in events: the field matches when any element does.
  [
    "array: pattern and event arrays intersect",
    {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
      ],
    },
    ec2Event(
      {},
      {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ],
      },
    ),
    true,
  ],
  [
    "array: no common element",
    { resources: ["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"] },
    ec2Event(),
    false,
  ],
  [
    "array: operator applies to each element",
    { detail: { state: [{ prefix: "run" }] } },
    ec2Event({ state: ["initializing", "running"] }),
    true,
  ],
  [
    "array: operator matches no element",
    { detail: { state: [{ prefix: "stop" }] } },
    ec2Event({ state: ["initializing", "running"] }),
    false,
  ],
  [
    "array: nested objects inside an event array",
    { detail: { items: { sku: ["cat-food"] } } },
    ec2Event({ items: [{ sku: "dog-food" }, { sku: "cat-food" }] }),
    true,
  ],

  // prefix
  ["prefix", { time: [{ prefix: "2017-10-02" }] }, ec2Event({}, { time: "2017-10-02T18:43:48Z" }), true],
  ["prefix: other value", { time: [{ prefix: "2017-10-02" }] }, ec2Event({}, { time: "2017-10-03T18:43:48Z" }), false],
  [
    "prefix: region in Europe",
    { source: ["aws.autoscaling"], region: [{ prefix: "eu-" }] },
    ec2Event({}, { source: "aws.autoscaling", region: "eu-west-1" }),
    true,
  ],
  ["prefix: case-sensitive", { region: [{ prefix: "EU-" }] }, ec2Event({}, { region: "eu-west-1" }), false],
  ["prefix: only strings", { detail: { code: [{ prefix: "12" }] } }, ec2Event({ code: 123 }), false],
  [
    "prefix equals-ignore-case",
    { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    ec2Event({ service: "eventbridge" }),
    true,
  ],
  [
    "prefix equals-ignore-case: upper case value",
    { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    ec2Event({ service: "EVENTBRIDGE" }),
    true,
  ],
  [
    "prefix equals-ignore-case: other value",
    { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    ec2Event({ service: "Lambda" }),
    false,
  ],

  // suffix
  ["suffix", { detail: { FileName: [{ suffix: ".png" }] } }, ec2Event({ FileName: "image.png" }), true],
  [
    "suffix: case-sensitive",
    { detail: { FileName: [{ suffix: ".png" }] } },
    ec2Event({ FileName: "image.PNG" }),
    false,
  ],
  [
    "suffix equals-ignore-case",
    { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    ec2Event({ FileName: "image.PNG" }),
    true,
  ],
  [
    "suffix equals-ignore-case: other extension",
    { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    ec2Event({ FileName: "image.jpg" }),
    false,
  ],

  // anything-but
  [
    "anything-but: string",
    { detail: { state: [{ "anything-but": "initializing" }] } },
    ec2Event({ state: "running" }),
    true,
  ],
  [
    "anything-but: string, excluded value",
    { detail: { state: [{ "anything-but": "initializing" }] } },
    ec2Event({ state: "initializing" }),
    false,
  ],
  [
    "anything-but: absent field does not match",
    { detail: { "x-state": [{ "anything-but": "initializing" }] } },
    ec2Event(),
    false,
  ],
  ["anything-but: number", { detail: { "x-limit": [{ "anything-but": 123 }] } }, ec2Event({ "x-limit": 456 }), true],
  [
    "anything-but: number, excluded value",
    { detail: { "x-limit": [{ "anything-but": 123 }] } },
    ec2Event({ "x-limit": 123 }),
    false,
  ],
  [
    "anything-but: list of strings",
    { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    ec2Event({ state: "running" }),
    true,
  ],
  [
    "anything-but: list of strings, excluded value",
    { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    ec2Event({ state: "overloaded" }),
    false,
  ],
  [
    "anything-but: list of numbers",
    { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    ec2Event({ "x-limit": 150 }),
    true,
  ],
  [
    "anything-but: list of numbers, excluded value",
    { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    ec2Event({ "x-limit": 200 }),
    false,
  ],
  [
    "anything-but: not from AWS services",
    { source: [{ "anything-but": ["aws.ec2", "aws.s3"] }] },
    ec2Event({}, { source: "awsomepets.orders" }),
    true,
  ],
  ["anything-but: excluded source", { source: [{ "anything-but": ["aws.ec2", "aws.s3"] }] }, ec2Event(), false],
  [
    "anything-but prefix",
    { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    ec2Event({ state: "running" }),
    true,
  ],
  [
    "anything-but prefix: excluded prefix",
    { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    ec2Event({ state: "initializing" }),
    false,
  ],
  [
    "anything-but suffix",
    { detail: { FileName: [{ "anything-but": { suffix: ".png" } }] } },
    ec2Event({ FileName: "photo.jpg" }),
    true,
  ],
  [
    "anything-but suffix: excluded suffix",
    { detail: { FileName: [{ "anything-but": { suffix: ".png" } }] } },
    ec2Event({ FileName: "photo.png" }),
    false,
  ],
  [
    "anything-but equals-ignore-case",
    { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    ec2Event({ state: "running" }),
    true,
  ],
  [
    "anything-but equals-ignore-case: excluded in another case",
    { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    ec2Event({ state: "INITIALIZING" }),
    false,
  ],
  [
    "anything-but equals-ignore-case: list",
    { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "Overloaded"] } }] } },
    ec2Event({ state: "OVERLOADED" }),
    false,
  ],
  [
    "anything-but wildcard",
    { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } },
    ec2Event({ FilePath: "/usr/bin/node" }),
    true,
  ],
  [
    "anything-but wildcard: excluded path",
    { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } },
    ec2Event({ FilePath: "/usr/lib/node" }),
    false,
  ],
  [
    "anything-but: any element of an event array may pass",
    { detail: { state: [{ "anything-but": "initializing" }] } },
    ec2Event({ state: ["initializing", "running"] }),
    true,
  ],

  // numeric
  [
    "numeric range: upper bound included",
    { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    ec2Event({ "c-count": 5 }),
    true,
  ],
  [
    "numeric range: lower bound excluded",
    { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    ec2Event({ "c-count": 0 }),
    false,
  ],
  [
    "numeric range: only JSON numbers",
    { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    ec2Event({ "c-count": "3" }),
    false,
  ],
  ["numeric <", { detail: { "d-count": [{ numeric: ["<", 10] }] } }, ec2Event({ "d-count": 9.5 }), true],
  ["numeric <: bound itself", { detail: { "d-count": [{ numeric: ["<", 10] }] } }, ec2Event({ "d-count": 10 }), false],
  ["numeric =", { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } }, ec2Event({ "x-limit": 301.8 }), true],
  [
    "numeric =: other number",
    { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } },
    ec2Event({ "x-limit": 301.9 }),
    false,
  ],
  ["numeric >=", { detail: { "x-limit": [{ numeric: [">=", 10] }] } }, ec2Event({ "x-limit": 10 }), true],
  [
    "numeric: all fields must hold",
    {
      detail: {
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ numeric: ["=", 3.018e2] }],
      },
    },
    ec2Event({ "c-count": 3, "d-count": 11, "x-limit": 301.8 }),
    false,
  ],

  // exists
  ["exists false: field absent", { detail: { "c-count": [{ exists: false }] } }, ec2Event(), true],
  ["exists false: field present", { detail: { "c-count": [{ exists: false }] } }, ec2Event({ "c-count": 1 }), false],
  [
    "exists false: an object is not a leaf",
    { detail: { "c-count": [{ exists: false }] } },
    ec2Event({ "c-count": { c1: 100 } }),
    true,
  ],
  [
    "exists true: field present",
    { detail: { description: [{ exists: true }] } },
    ec2Event({ description: "a full-text indexed description" }),
    true,
  ],
  ["exists true: field absent", { detail: { description: [{ exists: true }] } }, ec2Event(), false],

  // equals-ignore-case
  ["equals-ignore-case", { detail: { Name: [{ "equals-ignore-case": "alice" }] } }, ec2Event({ Name: "Alice" }), true],
  [
    "equals-ignore-case: other value",
    { detail: { Name: [{ "equals-ignore-case": "alice" }] } },
    ec2Event({ Name: "Alicia" }),
    false,
  ],

  // wildcard
  [
    "wildcard: file in a folder",
    { detail: { FilePath: [{ wildcard: "dir/*.png" }] } },
    ec2Event({ FilePath: "dir/cat.png" }),
    true,
  ],
  [
    "wildcard: other extension",
    { detail: { FilePath: [{ wildcard: "dir/*.png" }] } },
    ec2Event({ FilePath: "dir/cat.jpg" }),
    false,
  ],
  [
    "wildcard: several wildcards in an ARN",
    { detail: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] } },
    ec2Event({ EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }),
    true,
  ],
  [
    "wildcard: ARN in another region",
    { detail: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] } },
    ec2Event({ EventBusArn: "arn:aws:events:eu-west-1:123456789012:event-bus/orders" }),
    false,
  ],
  [
    "wildcard: escaped asterisk is literal",
    { detail: { Name: [{ wildcard: "a\\*b" }] } },
    ec2Event({ Name: "a*b" }),
    true,
  ],
  [
    "wildcard: escaped asterisk is not a wildcard",
    { detail: { Name: [{ wildcard: "a\\*b" }] } },
    ec2Event({ Name: "axb" }),
    false,
  ],
  [
    "wildcard: regular-expression characters are literal",
    { detail: { Name: [{ wildcard: "a.c*" }] } },
    ec2Event({ Name: "abc" }),
    false,
  ],

  // $or
  [
    "$or: one alternative holds",
    {
      detail: {
        $or: [
          { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
          { "d-count": [{ numeric: ["<", 10] }] },
          { "x-limit": [{ numeric: ["=", 3.018e2] }] },
        ],
      },
    },
    ec2Event({ "c-count": 99, "d-count": 9 }),
    true,
  ],
  [
    "$or: no alternative holds",
    { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }] } },
    ec2Event({ "c-count": 99, "d-count": 99 }),
    false,
  ],
  [
    "$or: alongside other fields at the top level",
    { source: ["aws.ec2"], $or: [{ "detail-type": ["Other"] }, { detail: { state: ["terminated"] } }] },
    ec2Event(),
    true,
  ],
  [
    "$or: other fields still required",
    { source: ["aws.s3"], $or: [{ "detail-type": ["Other"] }, { detail: { state: ["terminated"] } }] },
    ec2Event(),
    false,
  ],

  // The user guide's complex example with multiple matching.
  [
    "complex: prefix, anything-but and numeric together",
    {
      time: [{ prefix: "2017-10-02" }],
      detail: {
        state: [{ "anything-but": "initializing" }],
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ "anything-but": [100, 200, 300] }],
      },
    },
    ec2Event({ state: "running", "c-count": 2, "d-count": 3, "x-limit": 150 }, { time: "2017-10-02T18:43:48Z" }),
    true,
  ],
  [
    "complex: one condition fails",
    {
      time: [{ prefix: "2017-10-02" }],
      detail: {
        state: [{ "anything-but": "initializing" }],
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "x-limit": [{ "anything-but": [100, 200, 300] }],
      },
    },
    ec2Event({ state: "running", "c-count": 2, "x-limit": 200 }, { time: "2017-10-02T18:43:48Z" }),
    false,
  ],
];

describe("matches", () => {
  it.each(cases)("%s", (_operator, pattern, event, expected) => {
    // Prepare: the pattern and event come from the table.
    // Act
    const result = matches(pattern, event);
    // Assess
    expect(result).toBe(expected);
  });

  it("covers every operator with both a match and a non-match", () => {
    // Prepare
    const operators = [
      "exact",
      "array",
      "prefix",
      "prefix equals-ignore-case",
      "suffix",
      "suffix equals-ignore-case",
      "anything-but",
      "anything-but prefix",
      "anything-but suffix",
      "anything-but equals-ignore-case",
      "anything-but wildcard",
      "numeric",
      "exists false",
      "exists true",
      "equals-ignore-case",
      "wildcard",
      "$or",
    ];
    // Act
    const outcomes = (operator: string) =>
      new Set(
        cases
          .filter(([name]) => name === operator || name.startsWith(`${operator}:`) || name.startsWith(`${operator} `))
          .map(([, , , expected]) => expected),
      );
    // Assess
    for (const operator of operators)
      expect([operator, [...outcomes(operator)].sort()]).toEqual([operator, [false, true]]);
  });
});

describe("validatePattern", () => {
  const malformed: Array<[why: string, pattern: unknown, message: RegExp]> = [
    ["not an object", ["aws.ec2"], /must be a JSON object/],
    ["non-array leaf", { source: "aws.ec2" }, /at source: expected an array/],
    ["empty pattern array", { source: [] }, /at source: a pattern array must not be empty/],
    ["nested array in a pattern array", { source: [["aws.ec2"]] }, /nested arrays/],
    [
      "unknown operator",
      { detail: { state: [{ "starts-with": "init" }] } },
      /at detail\.state\[0\]\.starts-with: unknown operator "starts-with"/,
    ],
    ["two operators in one object", { detail: { state: [{ prefix: "a", suffix: "b" }] } }, /exactly one operator/],
    ["prefix of a number", { region: [{ prefix: 1 }] }, /at region\[0\]\.prefix/],
    ["exists with a string", { detail: { c: [{ exists: "yes" }] } }, /exists takes true or false/],
    ["numeric with an unknown comparison", { detail: { c: [{ numeric: ["~", 1] }] } }, /unknown numeric comparison/],
    [
      "numeric with two lower bounds",
      { detail: { c: [{ numeric: [">", 1, ">=", 2] }] } },
      /one lower .* and one upper/,
    ],
    ["numeric with a string bound", { detail: { c: [{ numeric: [">", "1"] }] } }, /needs a number/],
    [
      "anything-but with a mixed list",
      { detail: { c: [{ "anything-but": ["a", 1] }] } },
      /only strings or only numbers/,
    ],
    [
      "anything-but with numeric nested",
      { detail: { c: [{ "anything-but": { numeric: [">", 1] } }] } },
      /cannot be nested in anything-but/,
    ],
    ["wildcard with consecutive asterisks", { detail: { c: [{ wildcard: "a**b" }] } }, /consecutive/],
    ["wildcard with an unknown escape", { detail: { c: [{ wildcard: "a\\b" }] } }, /invalid escape/],
    ["$or that is not a list", { $or: { source: ["a"] } }, /\$or takes a non-empty array/],
    ["cidr is not supported locally", { detail: { ip: [{ cidr: "10.0.0.0/24" }] } }, /cidr operator is not supported/],
  ];

  it.each(malformed)("rejects a pattern: %s", (_why, pattern, message) => {
    // Prepare: the malformed pattern comes from the table.
    // Act
    const validate = () => validatePattern(pattern);
    // Assess
    expect(validate).toThrow(EventPatternError);
    expect(validate).toThrow(message);
  });

  it("accepts every pattern of the matching table", () => {
    // Prepare
    const patterns = cases.map(([, pattern]) => pattern);
    // Act
    const validateAll = () => {
      for (const pattern of patterns) validatePattern(pattern);
    };
    // Assess
    expect(validateAll).not.toThrow();
  });
});
