import { expect, it } from "vitest";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { failedLine, publishedLine, readPutEventsResult } from "../../src/cli/put-events-result";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const detail = (status: OrderStatus.Status): OrderStatus.StatusRecord => ({
  orderId: ORDER,
  status,
  occurredAt: "2026-11-26T10:00:00.000Z",
});

it("pairs each result entry with its detail, by position", () => {
  // Act
  const result = readPutEventsResult([detail("placed"), detail("paid")], {
    FailedEntryCount: 1,
    Entries: [{ EventId: "e-1" }, { ErrorCode: "InvalidArgument", ErrorMessage: "bad bus" }],
  });
  // Assess
  expect(result.ok).toBe(false);
  expect(result.published.map(publishedLine)).toEqual([`e-1 ${ORDER} placed`]);
  expect(result.failed.map(failedLine)).toEqual([`failed ${ORDER} paid: InvalidArgument bad bus`]);
});

it("is ok when every entry has an event id", () => {
  const result = readPutEventsResult([detail("placed")], { FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  expect(result).toEqual({ ok: true, failed: [], published: [{ eventId: "e-1", orderId: ORDER, status: "placed" }] });
});

it("counts a missing result entry, or a FailedEntryCount the entries do not show, as failure", () => {
  expect(readPutEventsResult([detail("placed")], { FailedEntryCount: 0, Entries: [] }).failed[0]?.errorCode).toBe(
    "MissingResult",
  );
  expect(readPutEventsResult([detail("placed")], { FailedEntryCount: 1, Entries: [{ EventId: "e-1" }] }).ok).toBe(
    false,
  );
});
