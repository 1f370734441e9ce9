/**
 * The status model, free of any schema library so that the browser page can use it too: the
 * statuses, the terminal set, the saga's order of steps ("current status"), the status record
 * and the occurrence order. `./event` validates events into these types and re-exports all of it.
 */
export const STATUSES = ["placed", "reserved", "paid", "completed", "released", "refunded", "cancelled"] as const;
export type Status = (typeof STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(["completed", "cancelled"]);
export const isTerminal = (status: Status) => TERMINAL_STATUSES.has(status);

/**
 * Where a status stands in the saga, whichever path it takes (placed → reserved → paid → completed;
 * … → paid → refunded → released → cancelled; … → reserved → released → cancelled; placed →
 * cancelled): a later step always has a higher rank. The current status of an order is the highest
 * ranked one it has — no clock involved, so a forged or skewed `occurredAt` cannot pin an order.
 */
const RANK: Record<Status, number> = {
  placed: 0,
  reserved: 1,
  paid: 2,
  refunded: 3,
  released: 4,
  completed: 5,
  cancelled: 5,
};

export function currentStatus(statuses: Iterable<Status>): Status | undefined {
  let current: Status | undefined;
  for (const status of statuses) if (current === undefined || RANK[status] > RANK[current]) current = status;
  return current;
}

/**
 * A status record: one status of one order — what happened (`status`, `reason`, `amountPaid`) and
 * when (`occurredAt`, normalised to UTC ms). The event's `detail` is one (`./event` validates it);
 * the stores, the frames and the page are built on it.
 */
export type StatusRecord = {
  orderId: string;
  status: Status;
  occurredAt: string;
  reason?: string;
  amountPaid?: number;
};

/** A status record at its place in the callbacks' history of its order: `seq`, the client's cursor. */
export type SequencedRecord = StatusRecord & { seq: number };

/** A status record inside one order's history, which names the order: the orders table, `GET /orders/{id}`. */
export type HistoryRecord = Omit<StatusRecord, "orderId">;

/**
 * Occurrence order: by `occurredAt` (normalised, so a string comparison is a time comparison), then
 * by seq, so that the order is total and the same for every reader.
 */
export const byOccurrence = (
  a: Pick<SequencedRecord, "occurredAt" | "seq">,
  b: Pick<SequencedRecord, "occurredAt" | "seq">,
) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq);
