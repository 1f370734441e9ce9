/// <reference lib="dom.iterable" />
/** The order tracker page: wires the form, the workshop's panel, the customer's orders and their storage together. */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import { getCatalogue, type OrderRequest, placeOrder } from "@awsomepets/client";
import { tokenOf } from "./callback-url";
import { apiBase, websocketBase } from "./config";
import { refusalText } from "./field-errors";
import { callbackUrlFor, orderLink, parseOrderLink, orderOnStage, REFUSED_LINK_TEXT } from "./order-link";
import { createOrderForm } from "./order-form";
import { followOrderOnCard, type OrderWatch } from "./order-watch";
import type { NextStep } from "./outcome";
import { FAILURE_PATHS, isFailurePath } from "./presets";
import { createOrderStorage, STORAGE_KEY, type OrderSummary, type WatchedOrder } from "./storage";
import { createSubmissionKeys } from "./submission-key";
import { createOrderCard } from "./timeline-view";

const baseUrl = apiBase();
const socketBase = websocketBase();
const storage = createOrderStorage(storageOrUndefined("localStorage"), {
  session: storageOrUndefined("sessionStorage"),
  // Only this stage's WebSocket API is followed: another URL (the stage's before the edge, or a crafted
  // link's kept by an older page) is rebuilt on it from the order's id and token, or dropped.
  onStage: (order) => orderOnStage(order, socketBase),
});
/**
 * The whole shipping address of orders placed in this tab ("Try another card" fills it in); storage keeps the country
 * only.
 */
const addresses = new Map<string, OrderRequest["shippingAddress"]>();
const watches = new Map<string, OrderWatch>();
const submissionKeys = createSubmissionKeys();

const formElement = document.querySelector<HTMLFormElement>("#order-form")!;
const ordersElement = document.querySelector<HTMLElement>("#orders")!;
const noOrders = document.querySelector<HTMLElement>("#no-orders")!;
const ordersCount = document.querySelector<HTMLElement>("#orders-count")!;
const announcer = document.querySelector<HTMLElement>("#announcer")!;
const workshopError = document.querySelector<HTMLElement>("#workshop-error")!;
const linkError = document.querySelector<HTMLElement>("#link-error")!;
const form = createOrderForm(formElement);

function storageOrUndefined(name: "localStorage" | "sessionStorage") {
  try {
    return window[name]; // throws where storage is disabled
  } catch {
    return undefined;
  }
}

/** One polite live region for the whole page: each message is said once, in the order it came. */
function announce(text: string) {
  const line = document.createElement("p");
  line.textContent = text;
  announcer.append(line);
  while (announcer.childElementCount > 5) announcer.firstElementChild?.remove();
}

function showCount() {
  noOrders.hidden = watches.size > 0;
  ordersCount.textContent = watches.size > 0 ? `(${watches.size})` : "";
}

const cardOf = (orderId: string) =>
  ordersElement.querySelector<HTMLElement>(`.order-card[data-order-id="${CSS.escape(orderId)}"]`);

/** "Try another card" and the like: the order's pets and address back in the form, the field to change focused. */
function orderAgain(orderId: string, step: NextStep["kind"]) {
  const summary = storage.get(orderId)?.summary;
  if (!summary) return;
  const basket =
    step === "without-sold-out" ? summary.basket.filter((line) => line.sku !== Catalogue.SOLD_OUT_SKU) : summary.basket;
  const another = step === "another-card" ? "" : undefined;
  const address = addresses.get(orderId);
  form.apply({
    basket,
    cardToken: another,
    shippingAddress: address?.country === "XX" ? { ...address, country: "" } : address,
  });
  form.showNote(
    step === "another-card"
      ? address
        ? "The pets and address of that order are filled in: choose another card, then place the order."
        : "The pets of that order are filled in: check the address, choose another card, then place the order."
      : step === "another-address"
        ? "The pets of that order are filled in: change the address, then place the order."
        : "The other pets of that order are filled in: place the order when you are ready.",
  );
  formElement.scrollIntoView({ block: "start" });
  form.focusField(step === "another-card" ? "card" : step === "another-address" ? "address" : "pets");
}

function drop(orderId: string) {
  watches.get(orderId)?.dispose();
  watches.delete(orderId);
  cardOf(orderId)?.remove();
  showCount();
}

function watch(saved: WatchedOrder) {
  const existing = cardOf(saved.orderId);
  if (existing) return existing.querySelector<HTMLElement>("h3")!; // a retry answered with an order already on the page
  const card = createOrderCard(saved.orderId, {
    onStop: () => watches.get(saved.orderId)?.stop(),
    onResume: () => watches.get(saved.orderId)?.resume(),
    onCheckAgain: () => void watches.get(saved.orderId)?.checkAgain(),
    onReconnectNow: () => watches.get(saved.orderId)?.reconnectNow(),
    onNextStep: (step) => orderAgain(saved.orderId, step),
    onRemove() {
      drop(saved.orderId);
      storage.remove(saved.orderId);
      announce(`Order ${saved.orderId.slice(0, 8)} removed from this page.`);
      formElement.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
    },
  });
  const token = tokenOf(saved.clientCallbackUrl);
  if (token) card.setLink(orderLink(location.href, { orderId: saved.orderId, token }));
  ordersElement.prepend(card.element); // newest first
  watches.set(saved.orderId, followOrderOnCard({ saved, apiBaseUrl: baseUrl, storage, card, announce }));
  showCount();
  return card.heading;
}

/**
 * Brings a card into view (its top, as it grows downwards) with the focus; where it is in view already (side by side),
 * nothing moves.
 */
function reveal(heading: HTMLElement) {
  const top = heading.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight / 2) heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

/** A new order from the 202: shown at once (its `placed` kept whatever happens to the link), and announced. */
function addPlaced(placed: { orderId: string; clientCallbackUrl: string }, request: OrderRequest, amount?: number) {
  const placedAt = new Date().toISOString();
  // The page opens only the stage's WebSocket URL, which it knows from its build: the 202 gives the token.
  const token = tokenOf(placed.clientCallbackUrl);
  const order =
    socketBase && token
      ? { orderId: placed.orderId, clientCallbackUrl: callbackUrlFor(socketBase, placed.orderId, token) }
      : placed;
  addresses.set(order.orderId, request.shippingAddress);
  const summary: OrderSummary = { basket: request.basket, amount, shippingAddress: request.shippingAddress, placedAt };
  const heading = watch({
    ...order,
    addedAt: placedAt,
    statuses: [],
    fromApi: [{ status: "placed", occurredAt: placedAt }],
    summary,
  });
  announce(`Order ${order.orderId.slice(0, 8)}: Order placed.`);
  return heading;
}

/** The last order placed from the form: the same again is placed only when asked twice (never silently). */
let lastPlaced: { body: string; orderId: string } | undefined;
let duplicateConfirmed: string | undefined;

formElement.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { request, amount } = form.read();
  form.clearErrors();
  const body = JSON.stringify(request);
  if (lastPlaced?.body === body && duplicateConfirmed !== body) {
    duplicateConfirmed = body;
    form.showNote(
      `You have just placed this same order (order ${lastPlaced.orderId.slice(0, 8)}). To place it a second time, press “Place order” again.`,
    );
    return;
  }
  form.showNote(undefined);
  form.setBusy(true);
  try {
    const result = await placeOrder({ baseUrl, order: request, idempotencyKey: submissionKeys.keyFor(request) });
    if (result.kind === "refused" && result.status === 400)
      return form.showErrors(result.problem.errors ?? [], request);
    if (!result.ok) {
      if (result.status === 422) submissionKeys.settled(); // the key belongs to another order
      return form.showFormError(refusalText(result.status));
    }
    submissionKeys.settled();
    lastPlaced = { body, orderId: result.order.orderId };
    duplicateConfirmed = undefined;
    const heading = addPlaced(result.order, request, amount);
    form.resetBasket();
    form.showNote(
      `Order ${result.order.orderId.slice(0, 8)} is placed: follow it under “Your orders”. The form is ready for another order.`,
    );
    reveal(heading);
  } finally {
    form.setBusy(false);
  }
});

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-path]")) {
  button.addEventListener("click", async () => {
    const path = button.dataset.path;
    if (!isFailurePath(path)) return;
    workshopError.hidden = true;
    button.disabled = true;
    try {
      const request = FAILURE_PATHS[path];
      const result = await placeOrder({ baseUrl, order: request }); // a new order: a new key
      if (!result.ok) {
        workshopError.hidden = false;
        workshopError.textContent =
          result.status === 400 ? "The shop refused the workshop's order." : refusalText(result.status);
        return;
      }
      const cents = Catalogue.priceCents(request.basket);
      reveal(addPlaced(result.order, request, cents === undefined ? undefined : cents / 100));
    } finally {
      button.disabled = false;
    }
  });
}

/** An order link (`#order=…`): the order is added to this browser's orders and shown; a link elsewhere is refused. */
function openLinkedOrder() {
  const parsed = parseOrderLink(location.hash, socketBase);
  if (!parsed) return;
  history.replaceState(null, "", location.pathname + location.search); // the token stays out of the address bar
  linkError.hidden = parsed.kind !== "refused";
  if (parsed.kind === "refused") {
    linkError.textContent = REFUSED_LINK_TEXT;
    linkError.scrollIntoView({ block: "center" });
    return;
  }
  const linked = parsed.order;
  const known = storage.get(linked.orderId);
  const heading = watch(known ?? { ...linked, addedAt: new Date().toISOString(), statuses: [], fromApi: [] });
  reveal(heading);
}

// Offline: a socket can die without a close reaching the page; no card says "Live" while nothing can arrive.
window.addEventListener("offline", () => {
  for (const watch of watches.values()) watch.connectionLost();
});
// Back online, or back to the tab: do not wait out the backoff.
window.addEventListener("online", () => {
  for (const watch of watches.values()) watch.reconnectNow();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  for (const watch of watches.values()) watch.reconnectNow();
});
window.addEventListener("hashchange", openLinkedOrder);
// Orders placed or removed in another tab.
window.addEventListener("storage", (event) => {
  if (event.key !== null && event.key !== STORAGE_KEY) return;
  const kept = storage.all();
  for (const saved of kept) if (!watches.has(saved.orderId)) watch(saved);
  for (const orderId of [...watches.keys()]) if (!kept.some((o) => o.orderId === orderId)) drop(orderId);
});

for (const saved of storage.all()) watch(saved);
showCount();
openLinkedOrder();

void getCatalogue({ baseUrl }).then((result) =>
  result.ok
    ? form.renderCatalogue(result.pets)
    : form.showCatalogueError("We couldn't load the pets. Please reload the page to try again."),
);
