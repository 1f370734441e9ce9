/// <reference lib="dom.iterable" />
/**
 * One watched order on the page: its timeline (time, status, reason, amount paid), its connection
 * indicator and, once there is one, its terminal state. New statuses are inserted in occurrence
 * order into an `aria-live="polite"` list, so screen readers announce each addition once.
 */
import type { Status } from "@awsomepets/core/order-status";
import { formatAmount, formatTime, STATUS_LABELS, TERMINAL } from "./status-text";

export type TimelineEntry = { status: Status; occurredAt: string; reason?: string; amountPaid?: number; seq?: number };

export type ConnectionView = "connecting" | "live" | "reconnecting" | "finished" | "offline" | "stopped";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Occurrence order, then seq (entries from the HTTP API have none and go last among equals). */
const before = (a: TimelineEntry, b: TimelineEntry) =>
  a.occurredAt < b.occurredAt || (a.occurredAt === b.occurredAt && (a.seq ?? Infinity) < (b.seq ?? Infinity));

export function createOrderCard(orderId: string, actions: { onRemove(): void }) {
  const headingId = `order-${orderId}-heading`;
  const connection = el("span", { className: "connection", textContent: "Connecting…" });
  connection.dataset.state = "connecting";
  const outcome = el("p", { className: "outcome", hidden: true });
  outcome.setAttribute("role", "status");
  const notice = el("p", { className: "notice", hidden: true });
  const list = el("ol", { className: "timeline" });
  list.setAttribute("aria-live", "polite");
  list.setAttribute("aria-relevant", "additions");
  list.setAttribute("aria-label", "Status history");
  const remove = el("button", { type: "button", className: "secondary", textContent: "Stop watching" });
  remove.setAttribute("aria-label", `Stop watching order ${orderId}`);
  remove.addEventListener("click", () => actions.onRemove());

  const element = el(
    "article",
    { className: "order-card" },
    el("header", {},
      el("h3", { id: headingId }, "Order ", el("code", { textContent: orderId.slice(0, 8), title: orderId })),
      connection,
    ),
    outcome,
    notice,
    list,
    remove,
  );
  element.setAttribute("aria-labelledby", headingId);
  element.dataset.orderId = orderId;
  const entries: TimelineEntry[] = [];

  function renderEntry(entry: TimelineEntry) {
    const item = el("li", {},
      el("time", { dateTime: entry.occurredAt, title: entry.occurredAt, textContent: formatTime(entry.occurredAt) }),
      el("span", { className: "status", textContent: STATUS_LABELS[entry.status] ?? entry.status }),
    );
    item.dataset.status = entry.status;
    if (entry.reason) item.append(el("span", { className: "reason", textContent: entry.reason }));
    if (entry.amountPaid !== undefined) item.append(el("span", { className: "amount", textContent: `Paid ${formatAmount(entry.amountPaid)}` }));
    if (TERMINAL.includes(entry.status)) item.classList.add("terminal", entry.status);
    return item;
  }

  function showOutcome() {
    const terminal = entries.find((e) => TERMINAL.includes(e.status));
    if (!terminal) return;
    element.dataset.terminal = terminal.status;
    outcome.hidden = false;
    outcome.className = `outcome ${terminal.status}`;
    outcome.textContent =
      terminal.status === "completed" ? "Completed — your pets are on their way." : `Cancelled: ${terminal.reason ?? "no reason given"}`;
  }

  return {
    element,
    /** Adds a status unless the card shows it already (an order has each status at most once). */
    add(entry: TimelineEntry) {
      if (entries.some((e) => e.status === entry.status)) return false;
      const index = entries.findIndex((e) => before(entry, e));
      const item = renderEntry(entry);
      if (index === -1) {
        entries.push(entry);
        list.append(item);
      } else {
        entries.splice(index, 0, entry);
        list.insertBefore(item, list.children[index] ?? null);
      }
      showOutcome();
      return true;
    },
    get terminal() {
      return entries.find((e) => TERMINAL.includes(e.status));
    },
    setConnection(state: ConnectionView, text: string, opens?: number) {
      connection.dataset.state = state;
      connection.textContent = text;
      element.dataset.connection = state;
      if (opens !== undefined) element.dataset.opens = String(opens);
    },
    setNotice(text: string | undefined) {
      notice.hidden = !text;
      notice.textContent = text ?? "";
    },
  };
}
export type OrderCard = ReturnType<typeof createOrderCard>;
