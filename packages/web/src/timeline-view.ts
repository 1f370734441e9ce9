/// <reference lib="dom.iterable" />
/**
 * One order on the page: when it was ordered, what was bought (pets, quantities, amount, destination),
 * where it stands (in words and a symbol that screen readers skip, not colour alone), its connection,
 * a progress stepper (each step that happened with its date and time in the customer's time zone,
 * then the steps still to come), the outcome with the next step, a link that reopens the order, and
 * the actions that fit its state. New statuses are announced through the page's live region (see
 * main.ts), not by this card.
 */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as StatusModel from "@awsomepets/core/status/model";
import { countryName } from "./countries";
import { outcomeOf, type NextStep } from "./outcome";
import type { OrderSummary } from "./storage";
import { formatAmount, formatDateTime, HAPPY_STEPS, petName, STATUS_LABELS, UPCOMING_LABELS } from "./status-text";

/** A status record the card shows: from a frame (with its seq) or from `GET /orders/{id}` (without). */
export type ShownRecord = StatusModel.HistoryRecord & { seq?: number };

export type ConnectionView = "connecting" | "live" | "reconnecting" | "finished" | "offline" | "stopped";
/**
 * Which actions the card offers: while watching, while reconnecting, once live updates ended (resumable or not), once
 * finished.
 */
export type CardMode = "watching" | "reconnecting" | "ended" | "expired" | "finished";
export type Progress = "in-progress" | "not-live" | "completed" | "cancelled";

export type CardActions = {
  onStop(): void;
  onRemove(): void;
  onCheckAgain(): void;
  onResume(): void;
  onReconnectNow(): void;
  onNextStep(step: NextStep["kind"]): void;
};

/** Characters every system font has (emoji such as ⏳ are missing from many). */
const SYMBOLS: Record<Progress, string> = { "in-progress": "◔", "not-live": "‖", completed: "✓", cancelled: "✕" };

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: Array<Node | string>
) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
/** A symbol seen but not read aloud: the words next to it say the same. */
const symbol = (text: string) => {
  const span = el("span", { className: "symbol", textContent: text });
  span.setAttribute("aria-hidden", "true");
  return span;
};

/** Core's occurrence order; entries from the HTTP API have no seq and go last among equals. */
const withSeq = (e: ShownRecord) => ({ occurredAt: e.occurredAt, seq: e.seq ?? Number.MAX_SAFE_INTEGER });
const before = (a: ShownRecord, b: ShownRecord) => StatusModel.byOccurrence(withSeq(a), withSeq(b)) < 0;

function renderSummary(summary: OrderSummary) {
  const items = el("ul", { className: "items" });
  items.setAttribute("aria-label", "Pets ordered");
  for (const line of summary.basket) {
    const lineCents = Catalogue.priceCents([line]);
    items.append(
      el(
        "li",
        {},
        `${line.quantity} × ${petName(line.sku)}`,
        lineCents === undefined
          ? ""
          : el("span", { className: "line-amount", textContent: formatAmount(lineCents / 100) }),
      ),
    );
  }
  const parts: Node[] = [items];
  if (summary.amount !== undefined)
    parts.push(el("p", { className: "total" }, "Total ", el("strong", { textContent: formatAmount(summary.amount) })));
  const address = summary.shippingAddress;
  // The whole address in the tab that placed the order; elsewhere only its country is kept (storage.ts).
  const country = address?.country ?? summary.country;
  const where = address
    ? [
        address.name,
        address.line1,
        `${address.postalCode} ${address.city}`,
        countryName(address.country) ?? address.country,
      ]
        .filter(Boolean)
        .join(", ")
    : country && (countryName(country) ?? country);
  if (where) parts.push(el("p", { className: "destination" }, "Ships to ", el("span", { textContent: where })));
  return parts;
}

export function createOrderCard(orderId: string, actions: CardActions) {
  const shortId = orderId.slice(0, 8);
  const headingId = `order-${orderId}-heading`;
  const heading = el(
    "h3",
    { id: headingId, tabIndex: -1 },
    "Order ",
    el("code", { textContent: shortId, title: orderId }),
  );
  const progressText = el("span");
  const progress = el("span", { className: "progress" });
  const connection = el("span", { className: "connection", textContent: "Connecting…" });
  connection.dataset.state = "connecting";
  const placedAt = el("p", { className: "placed-at", hidden: true });
  const summaryBox = el("div", { className: "summary", hidden: true });
  const outcome = el("p", { className: "outcome" });
  const nextStep = el("button", { type: "button", className: "next-step" });
  const outcomeBox = el("div", { className: "outcome-box", hidden: true }, outcome, nextStep);
  const notice = el("p", { className: "notice", hidden: true });
  const list = el("ol", { className: "timeline" });
  list.setAttribute("aria-label", "Progress");
  const buttons = el("div", { className: "buttons" });
  const link = el("a", { className: "order-link", textContent: `Link to order ${shortId}` });
  const linkHint = el("span", {
    className: "hint",
    textContent: " — keep it to check this order later, from any browser.",
  });
  const linkLine = el("p", { className: "link-line", hidden: true }, link, linkHint);

  const element = el(
    "article",
    { className: "order-card" },
    el("header", {}, heading, el("span", { className: "badges" }, progress, connection)),
    placedAt,
    summaryBox,
    outcomeBox,
    notice,
    list,
    el("div", { className: "actions" }, buttons),
    linkLine,
  );
  element.setAttribute("aria-labelledby", headingId);
  element.dataset.orderId = orderId;
  const entries: ShownRecord[] = [];
  let summary: OrderSummary | undefined;
  let mode: CardMode = "watching";
  let next: NextStep | undefined;

  const terminalEntry = () => entries.find((e) => StatusModel.isTerminal(e.status));
  const latest = () => entries[entries.length - 1];

  const button = (label: string, accessibleName: string, onClick: () => void, primary = false) => {
    const b = el("button", { type: "button", className: primary ? "" : "secondary", textContent: label });
    b.setAttribute("aria-label", accessibleName);
    b.addEventListener("click", onClick);
    return b;
  };
  function renderButtons() {
    const remove = button("Remove", `Remove order ${shortId} from this page`, actions.onRemove);
    const byMode: Record<CardMode, HTMLButtonElement[]> = {
      watching: [button("Stop watching", `Stop watching order ${shortId}`, actions.onStop)],
      reconnecting: [
        button("Reconnect now", `Reconnect now: order ${shortId}`, actions.onReconnectNow),
        button("Stop watching", `Stop watching order ${shortId}`, actions.onStop),
      ],
      ended: [
        button("Check again", `Check again: order ${shortId}`, actions.onCheckAgain, true),
        button("Resume watching", `Resume watching order ${shortId}`, actions.onResume),
        remove,
      ],
      expired: [remove],
      finished: [remove],
    };
    const wanted = byMode[terminalEntry() ? "finished" : mode];
    // Re-rendered only when the set changes, so a focused button keeps the focus.
    if (wanted.map((b) => b.textContent).join() !== [...buttons.children].map((b) => b.textContent).join())
      buttons.replaceChildren(...wanted);
  }

  function renderProgress() {
    const terminal = terminalEntry();
    const state: Progress = terminal
      ? (terminal.status as Progress)
      : mode === "ended" || mode === "expired"
        ? "not-live"
        : "in-progress";
    const last = latest();
    const words = {
      "in-progress": "In progress",
      "not-live": last ? `Last known: ${STATUS_LABELS[last.status]}` : "Status unknown",
      completed: "Completed",
      cancelled: "Cancelled",
    }[state];
    progress.dataset.progress = state;
    element.dataset.progress = state;
    progressText.textContent = words;
    progress.replaceChildren(symbol(SYMBOLS[state]), " ", progressText);
  }

  function renderStepper() {
    const terminal = terminalEntry();
    const items = entries.map((entry, index) => {
      const item = el(
        "li",
        {},
        symbol(StatusModel.isTerminal(entry.status) ? (entry.status === "completed" ? "✓" : "✕") : "●"),
        el("span", { className: "status", textContent: STATUS_LABELS[entry.status] ?? entry.status }),
        el("time", { dateTime: entry.occurredAt, textContent: formatDateTime(entry.occurredAt) }),
      );
      item.dataset.status = entry.status;
      if (entry.amountPaid !== undefined)
        item.append(el("span", { className: "amount", textContent: formatAmount(entry.amountPaid) }));
      if (StatusModel.isTerminal(entry.status)) item.classList.add("terminal", entry.status);
      if (!terminal && index === entries.length - 1) item.setAttribute("aria-current", "step");
      return item;
    });
    if (!terminal && entries.length > 0) {
      // The steps of an order that goes well that have not happened yet.
      const reached = Math.max(-1, ...entries.map((e) => HAPPY_STEPS.indexOf(e.status)));
      for (const step of HAPPY_STEPS.slice(reached + 1)) {
        const item = el(
          "li",
          { className: "upcoming" },
          symbol("○"),
          el("span", { className: "status", textContent: UPCOMING_LABELS[step] ?? STATUS_LABELS[step] }),
          el("span", { className: "when", textContent: "to come" }),
        );
        item.dataset.step = step;
        items.push(item);
      }
    }
    list.replaceChildren(...items);
  }

  function renderOutcome() {
    const result = outcomeOf(entries, summary);
    outcomeBox.hidden = !result;
    if (!result) return;
    element.dataset.terminal = result.state;
    outcome.className = `outcome ${result.state}`;
    outcome.textContent = result.text;
    next = result.next;
    nextStep.hidden = !next;
    if (next) {
      nextStep.textContent = next.label;
      nextStep.setAttribute("aria-label", `${next.label}: order ${shortId}`);
    }
  }
  nextStep.addEventListener("click", () => next && actions.onNextStep(next.kind));

  function render() {
    renderProgress();
    renderStepper();
    renderOutcome();
    renderButtons();
  }
  render();

  return {
    element,
    heading,
    /**
     * Adds a status unless the card shows it already (an order has each status at most once); one
     * known only from the 202 or the HTTP API is replaced by the socket's copy, which has its seq.
     * True when the status is news.
     */
    add(entry: ShownRecord) {
      const existing = entries.findIndex((e) => e.status === entry.status);
      if (existing !== -1) {
        if (entries[existing]!.seq !== undefined || entry.seq === undefined) return false;
        entries.splice(existing, 1);
      }
      const index = entries.findIndex((e) => before(entry, e));
      entries.splice(index === -1 ? entries.length : index, 0, entry);
      render();
      return existing === -1;
    },
    get terminal() {
      return terminalEntry();
    },
    /** The furthest status known, by occurrence. */
    get latest() {
      return latest();
    },
    setSummary(value: OrderSummary | undefined) {
      summary = value;
      const ordered = value?.placedAt ?? entries.find((e) => e.status === "placed")?.occurredAt;
      if (ordered) {
        placedAt.replaceChildren("Ordered ", el("time", { dateTime: ordered, textContent: formatDateTime(ordered) }));
        placedAt.hidden = false;
      }
      if (!value || value.basket.length === 0) return;
      summaryBox.replaceChildren(...renderSummary(value));
      summaryBox.hidden = false;
      renderOutcome();
    },
    setConnection(state: ConnectionView, text: string, opens?: number) {
      connection.dataset.state = state;
      connection.textContent = text;
      connection.hidden = state === "finished"; // the progress badge says it all
      element.dataset.connection = state;
      if (opens !== undefined) element.dataset.opens = String(opens);
    },
    setMode(value: CardMode) {
      mode = value;
      renderProgress();
      renderButtons();
    },
    setNotice(text: string | undefined) {
      notice.hidden = !text;
      notice.textContent = text ?? "";
    },
    setLink(href: string) {
      link.href = href;
      linkLine.hidden = false;
    },
  };
}
export type OrderCard = ReturnType<typeof createOrderCard>;
