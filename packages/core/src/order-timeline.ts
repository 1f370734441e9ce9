/**
 * The client side of the protocol (docs/protocol.md), with no I/O so that the browser page, the
 * `watch-order` command and the tests share it: it keeps the statuses of one order, drops
 * duplicates by `seq`, keeps the cursor, and says when a `sync` is due.
 */
import { byOccurrence, isTerminal } from "./order-status-model";
import type { ServerFrame, StatusFrame, SyncRequest } from "./protocol";

export type TimelineUpdate = {
  /** The frame was a status this timeline did not hold yet. */
  added?: StatusFrame;
  /** The frame repeated a seq this timeline already holds. */
  duplicate?: boolean;
  /** A status is missing (a seq above the cursor + 1 is held): send `syncRequest()`. */
  syncNeeded?: boolean;
  error?: { code: string; message: string };
};

export class OrderTimeline {
  private readonly bySeq = new Map<number, StatusFrame>();
  private cursorValue = 0;
  private lastSeqValue = 0;
  /** A sync's answer arrives in occurrence order, not seq order: gaps during it are expected. */
  private syncInFlight = false;
  duplicatesDropped = 0;

  constructor(readonly orderId: string, held: Iterable<StatusFrame> = []) {
    for (const frame of held) this.hold(frame);
  }

  /** Every seq from 1 to the cursor is held. */
  get cursor() {
    return this.cursorValue;
  }

  /** The statuses in occurrence order (`occurredAt`, then `seq`). */
  get statuses(): StatusFrame[] {
    return [...this.bySeq.values()].sort(byOccurrence);
  }

  get terminal(): StatusFrame | undefined {
    return this.statuses.find((s) => isTerminal(s.status));
  }

  /** Has a gap: some seq between the cursor and the highest known seq is missing. */
  get hasGap() {
    const highest = Math.max(this.lastSeqValue, ...this.bySeq.keys(), 0);
    return highest > this.cursorValue;
  }

  /** The `sync` to send (on every open, and when an update says `syncNeeded`). */
  syncRequest(): Required<SyncRequest> {
    this.syncInFlight = true;
    return { action: "sync", orderId: this.orderId, after: this.cursorValue };
  }

  private hold(frame: StatusFrame) {
    this.bySeq.set(frame.seq, frame);
    while (this.bySeq.has(this.cursorValue + 1)) this.cursorValue++;
  }

  /** Applies one server frame. Frames of another order are ignored. */
  apply(frame: ServerFrame): TimelineUpdate {
    if (frame.type === "error") return { error: { code: frame.code, message: frame.message } };
    if (frame.orderId !== this.orderId) return {};
    if (frame.type === "synced") {
      this.syncInFlight = false;
      this.lastSeqValue = Math.max(this.lastSeqValue, frame.lastSeq);
      return { syncNeeded: this.hasGap };
    }
    if (!Number.isInteger(frame.seq) || frame.seq < 1) return {};
    if (this.bySeq.has(frame.seq)) {
      this.duplicatesDropped++;
      return { duplicate: true };
    }
    this.hold(frame);
    return { added: frame, syncNeeded: !this.syncInFlight && this.hasGap };
  }
}
