/**
 * The package's copy of the model (src/protocol.ts) agrees with core's, its source: the same types
 * (checked by tsc, which `npm test` runs over the tests), the same terminal statuses and error codes,
 * the same occurrence order.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as CoreProtocol from "@awsomepets/core/callbacks/protocol";
import * as StatusModel from "@awsomepets/core/status/model";
import * as Protocol from "../src/protocol";

/** Each assignable to the other, with the same keys: how tsc sees an intersection and its flattened form alike. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agree<A, B> = Same<A, B> extends true ? Same<keyof A, keyof B> : false;
const agree = <_Check extends true>() => true;

describe("the client's protocol and core's", () => {
  it("have the same types", () => {
    expectTypeOf<Protocol.Status>().toEqualTypeOf<StatusModel.Status>();
    expectTypeOf<Protocol.HistoryRecord>().toEqualTypeOf<StatusModel.HistoryRecord>();
    expect(agree<Agree<Protocol.StatusFrame, CoreProtocol.StatusFrame>>()).toBe(true);
    expect(agree<Agree<Required<Protocol.StatusFrame>, Required<CoreProtocol.StatusFrame>>>()).toBe(true);
    expectTypeOf<Protocol.SyncedFrame>().toEqualTypeOf<CoreProtocol.SyncedFrame>();
    expectTypeOf<Protocol.ErrorCode>().toEqualTypeOf<CoreProtocol.ErrorCode>();
    expectTypeOf<Protocol.ErrorFrame>().toEqualTypeOf<CoreProtocol.ErrorFrame>();
    expectTypeOf<Protocol.GatewayFrame>().toEqualTypeOf<CoreProtocol.GatewayFrame>();
    expect(agree<Agree<Protocol.ReceivedFrame, CoreProtocol.ReceivedFrame>>()).toBe(true);
    expectTypeOf<Protocol.SyncRequest>().toEqualTypeOf<Required<CoreProtocol.SyncRequest>>();
  });

  it("have the same terminal statuses", () => {
    expect([...Protocol.TERMINAL_STATUSES].sort()).toEqual([...StatusModel.TERMINAL_STATUSES].sort());
    for (const status of StatusModel.STATUSES) expect(Protocol.isTerminal(status)).toBe(StatusModel.isTerminal(status));
  });

  it("sort statuses in the same occurrence order", () => {
    const records = [
      { occurredAt: "2026-11-26T10:00:01.000Z", seq: 2 },
      { occurredAt: "2026-11-26T10:00:01.000Z", seq: 1 },
      { occurredAt: "2026-11-26T10:00:00.500Z", seq: 3 },
      { occurredAt: "2026-11-26T10:00:02.000Z", seq: 4 },
    ];
    for (const a of records)
      for (const b of records)
        expect(Math.sign(Protocol.byOccurrence(a, b))).toBe(Math.sign(StatusModel.byOccurrence(a, b)));
  });
});
