/// <reference lib="dom.iterable" />
/**
 * One watched order on the page: what was bought (pets, quantities, amount, destination), where it
 * stands (in progress / completed / cancelled, in words and a symbol, not colour alone), its
 * connection, the status history and, once there is one, the outcome with its reason — said once.
 * New statuses are announced through the page's live region (see main.ts), not by this list.
 */
import type { Status } from "@awsomepets/core/order-status-model";
import type { OrderSummary } from "./storage";
import { countryName, customerReason, formatAmount, formatTime, petName, STATUS_LABELS } from "./status-text";
import { byOccurrence, isTerminal } from "@awsomepets/core/order-status-model";
import { priceCents } from "@awsomepets/core/catalogue";

export type TimelineEntry = { status: Status; occurredAt: string; reason?: string; amountPaid?: number; seq?: number };

export type ConnectionView = "connecting" | "live" | "reconnecting" | "finished" | "offline" | "stopped";
export type Progress = "in-progress" | "completed" | "cancelled";

const PROGRESS_TEXT: Record<Progress, string> = { "in-progress": "⏳ In progress", completed: "✓ Completed", cancelled: "✕ Cancelled" };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Core's occurrence order; entries from the HTTP API have no seq and go last among equals. */
const withSeq = (e: TimelineEntry) => ({ occurredAt: e.occurredAt, seq: e.seq ?? Number.MAX_SAFE_INTEGER });
const before = (a: TimelineEntry, b: TimelineEntry) => byOccurrence(withSeq(a), withSeq(b)) < 0;

function renderSummary(summary: OrderSummary) {
  const items = el("ul", { className: "items" });
  items.setAttribute("aria-label", "Pets ordered");
  for (const line of summary.basket) {
    const lineCents = priceCents([line]);
    items.append(el("li", {}, `${line.quantity} × ${petName(line.sku)}`, lineCents === undefined ? "" : el("span", { className: "line-amount", textContent: formatAmount(lineCents / 100) })));
  }
  const parts: Node[] = [items];
  if (summary.amount !== undefined) parts.push(el("p", { className: "total" }, "Total ", el("strong", { textContent: formatAmount(summary.amount) })));
  const address = summary.shippingAddress;
  if (address) {
    const where = [address.name, address.line1, `${address.postalCode} ${address.city}`, countryName(address.country)].filter(Boolean).join(", ");
    parts.push(el("p", { className: "destination" }, "Ships to ", el("span", { textContent: where })));
  }
  return parts;
}

export function createOrderCard(orderId: string, actions: { onRemove(): void; onStop(): void }) {
  const shortId = orderId.slice(0, 8);
  const headingId = `order-${orderId}-heading`;
  const heading = el("h3", { id: headingId, tabIndex: -1 }, "Order ", el("code", { textContent: shortId, title: orderId }));
  const progress = el("span", { className: "progress", textContent: PROGRESS_TEXT["in-progress"] });
  progress.dataset.progress = "in-progress";
  const connection = el("span", { className: "connection", textContent: "Connecting…" });
  connection.dataset.state = "connecting";
  const summaryBox = el("div", { className: "summary", hidden: true });
  const outcome = el("p", { className: "outcome", hidden: true });
  const notice = el("p", { className: "notice", hidden: true });
  const list = el("ol", { className: "timeline" });
  list.setAttribute("aria-label", "Status history");
  const button = el("button", { type: "button", className: "secondary" });
  let stopped = false;
  button.addEventListener("click", () => (finishedOrStopped() ? actions.onRemove() : actions.onStop()));

  const element = el(
    "article",
    { className: "order-card" },
    el("header", {}, heading, el("span", { className: "badges" }, progress, connection)),
    summaryBox,
    outcome,
    notice,
    list,
    el("div", { className: "actions" }, button),
  );
  element.setAttribute("aria-labelledby", headingId);
  element.dataset.orderId = orderId;
  element.dataset.progress = "in-progress";
  const entries: TimelineEntry[] = [];

  const terminalEntry = () => entries.find((e) => isTerminal(e.status));
  const finishedOrStopped = () => stopped || terminalEntry() !== undefined;

  function renderButton() {
    const remove = finishedOrStopped();
    button.textContent = remove ? "Remove" : "Stop watching";
    button.setAttribute("aria-label", remove ? `Remove order ${shortId} from this page` : `Stop watching order ${shortId}`);
  }
  renderButton();

  function renderEntry(entry: TimelineEntry) {
    const item = el("li", {},
      el("time", { dateTime: entry.occurredAt, title: entry.occurredAt, textContent: formatTime(entry.occurredAt) }),
      el("span", { className: "status", textContent: STATUS_LABELS[entry.status] ?? entry.status }),
    );
    item.dataset.status = entry.status;
    if (entry.amountPaid !== undefined) item.append(el("span", { className: "amount", textContent: formatAmount(entry.amountPaid) }));
    if (isTerminal(entry.status)) item.classList.add("terminal", entry.status);
    return item;
  }

  function showOutcome() {
    const terminal = terminalEntry();
    const state: Progress = terminal ? (terminal.status as Progress) : "in-progress";
    element.dataset.progress = state;
    progress.dataset.progress = state;
    progress.textContent = PROGRESS_TEXT[state];
    renderButton();
    if (!terminal) return;
    element.dataset.terminal = terminal.status;
    outcome.hidden = false;
    outcome.className = `outcome ${terminal.status}`;
    if (terminal.status === "completed") {
      outcome.textContent = "Completed — your pets are on their way.";
      return;
    }
    const reason = terminal.reason ?? entries.find((e) => e.reason)?.reason;
    const refunded = entries.some((e) => e.status === "refunded");
    outcome.textContent = `Cancelled: ${reason ? customerReason(reason) : "the order could not be completed"}.${refunded ? " Your payment has been refunded." : ""}`;
  }

  return {
    element,
    heading,
    /**
     * Adds a status unless the card shows it already (an order has each status at most once); one
     * known only from the 202 or the HTTP API is replaced by the socket's copy, which has its seq.
     */
    add(entry: TimelineEntry) {
      const existing = entries.findIndex((e) => e.status === entry.status);
      if (existing !== -1) {
        if (entries[existing]!.seq !== undefined || entry.seq === undefined) return false;
        entries.splice(existing, 1);
        list.children[existing]?.remove();
      }
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
      return existing === -1;
    },
    get terminal() {
      return terminalEntry();
    },
    setSummary(summary: OrderSummary | undefined) {
      if (!summary || summary.basket.length === 0) return;
      summaryBox.replaceChildren(...renderSummary(summary));
      summaryBox.hidden = false;
    },
    setConnection(state: ConnectionView, text: string, opens?: number) {
      connection.dataset.state = state;
      connection.textContent = text;
      connection.hidden = state === "finished"; // the progress badge says it all
      element.dataset.connection = state;
      if (opens !== undefined) element.dataset.opens = String(opens);
    },
    setNotice(text: string | undefined) {
      notice.hidden = !text;
      notice.textContent = text ?? "";
    },
    markStopped() {
      stopped = true;
      renderButton();
    },
  };
}
export type OrderCard = ReturnType<typeof createOrderCard>;
