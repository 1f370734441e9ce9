import type { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { expect, it } from "vitest";
import * as OrderStatus from "@awsomepets/core/status/event";
import { publishDetails } from "../../src/cli/publish-details";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const details = (count: number): OrderStatus.StatusRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    orderId: ORDER,
    status: OrderStatus.STATUSES[i % 7]!,
    occurredAt: new Date(Date.UTC(2026, 10, 26, 10, 0, 0, i)).toISOString(),
  }));

function recorder(fail?: (batch: number, index: number) => boolean) {
  const requests: PutEventsCommand["input"][] = [];
  const out: string[] = [];
  const err: string[] = [];
  const send = async (command: PutEventsCommand) => {
    const batch = requests.push(command.input) - 1;
    const entries = command.input.Entries!.map((_, index) =>
      fail?.(batch, index)
        ? { ErrorCode: "InternalFailure", ErrorMessage: "try again" }
        : { EventId: `e-${batch}-${index}` },
    );
    return { FailedEntryCount: entries.filter((e) => "ErrorCode" in e).length, Entries: entries };
  };
  return { requests, out, err, send, print: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

it("sends the details in order, 10 per PutEvents, as the contract's entries, and prints one line per event", async () => {
  // Prepare
  const r = recorder();
  const all = details(12);
  // Act
  const ok = await publishDetails({ details: all, eventBusName: "bus", send: r.send, ...r.print });
  // Assess
  expect(ok).toBe(true);
  expect(r.requests.map((q) => q.Entries!.length)).toEqual([10, 2]);
  expect(r.requests.flatMap((q) => q.Entries!)).toEqual(all.map((d) => OrderStatus.toPutEventsEntry(d, "bus")));
  expect(r.out).toHaveLength(12);
  expect(r.out[11]).toBe(`e-1-1 ${ORDER} ${all[11]!.status}`);
  expect(r.err).toEqual([]);
});

it("prints each failed entry and sends no later batch", async () => {
  // Prepare
  const r = recorder((batch, index) => batch === 0 && index === 3);
  // Act
  const ok = await publishDetails({ details: details(15), eventBusName: "bus", send: r.send, ...r.print });
  // Assess
  expect(ok).toBe(false);
  expect(r.requests).toHaveLength(1);
  expect(r.out).toHaveLength(9);
  expect(r.err).toEqual([`failed ${ORDER} completed: InternalFailure try again`]);
});
