/** `erase-order`'s output: what was removed from which table, or that nothing was left; or JSON. */
import * as Erasure from "@awsomepets/core/orders/erasure";
import * as OrderStatus from "@awsomepets/core/status/event";

export function erasureLines(
  report: Erasure.ErasureReport,
  tables: { ordersTable: string; clientCallbackTable: string },
  json: boolean,
): string[] {
  if (json) return [JSON.stringify(report)];
  if (Erasure.nothingRemoved(report)) {
    return [
      `Nothing was left of order ${report.orderId} in ${tables.ordersTable} or ${tables.clientCallbackTable}: already erased, or never held here.`,
    ];
  }
  const removed = [
    report.removed.order && `its item in ${tables.ordersTable}`,
    report.removed.idempotencyRecord && `its Idempotency-Key's record in ${tables.ordersTable}`,
    report.removed.callbackItem && `its callback item in ${tables.clientCallbackTable}`,
  ].filter(Boolean);
  const lines = [`Erased order ${report.orderId}${report.status ? ` (${report.status})` : ""}: ${removed.join(", ")}.`];
  if (report.removed.order && !report.idempotencyKeyKnown) {
    lines.push(
      "Its item named no Idempotency-Key (placed without one, or before keys were kept): any key's record expires 24 hours after the order.",
    );
  }
  if (report.status && !OrderStatus.isTerminal(report.status)) {
    lines.push(
      `The order had not ended (${report.status}): its workflow may still publish statuses, which can write its callback item again. Run erase-order again once the workflow has ended.`,
    );
  }
  return lines;
}
