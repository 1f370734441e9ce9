/// <reference lib="dom.iterable" />
/**
 * The order form: a quantity per pet from the catalogue (a sold-out pet is shown as sold out, with
 * nothing to fill in), the basket's total as it changes, a test card, and an address whose country
 * is picked from a list named in the customer's language (its ISO code is sent). The API is the
 * validator; its field errors are shown next to the fields they name, in the shop's words (see
 * field-errors.ts). After an order is placed the form is emptied of pets, ready for the next one.
 */
import type { FieldError, OrderRequest, Pet } from "@awsomepets/client";
import { countryOptions } from "./countries";
import { BASKET_FIELD, FORM_FIELD, groupFieldErrors, quantityField } from "./field-errors";
import { formatAmount, formatCents } from "./status-text";

export type FormSubmission = { request: OrderRequest; sentSkus: string[]; amount?: number };

export const FIX_FIELDS_TEXT =
  "Some details are missing or need a change. Please fix the highlighted fields, then place the order again.";

const ADDRESS_FIELDS = ["name", "line1", "city", "postalCode", "country"] as const;
const CARD_FIELD = "paymentDetail.cardToken";

export function createOrderForm(form: HTMLFormElement) {
  const petList = form.querySelector<HTMLElement>("#pet-list")!;
  const formError = form.querySelector<HTMLElement>("#form-error")!;
  const formNote = form.querySelector<HTMLElement>("#form-note")!;
  const submitButton = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const totalText = form.querySelector<HTMLElement>("#basket-total")!;
  const countrySelect = form.querySelector<HTMLSelectElement>("#ship-country")!;
  let pets: Pet[] = [];

  const control = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  const cardInputs = () => [...form.querySelectorAll<HTMLInputElement>(`input[name="${CARD_FIELD}"]`)];
  const errorSlot = (field: string) =>
    field === BASKET_FIELD
      ? form.querySelector<HTMLElement>("#basket-error")
      : form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`);
  const knownFields = () =>
    new Set(
      [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input[name], select[name]")].map(
        (input) => input.name,
      ),
    );

  // The countries, named and sorted in the browser's language; the page itself is in English.
  const language = navigator.language;
  countrySelect.lang = language;
  countrySelect.append(...countryOptions(language).map(({ code, name }) => new Option(name, code)));

  function renderCatalogue(catalogue: Pet[]) {
    pets = catalogue.filter((pet) => !pet.soldOut);
    petList.replaceChildren(
      ...catalogue.map((pet) => {
        const id = `qty-${pet.sku}`;
        const row = document.createElement("div");
        row.className = pet.soldOut ? "pet sold-out" : "pet";
        const label = document.createElement(pet.soldOut ? "p" : "label");
        label.append(
          Object.assign(document.createElement("span"), { className: "pet-name", textContent: pet.name }),
          Object.assign(document.createElement("span"), {
            className: "pet-meta",
            textContent: `${pet.species} · ${formatAmount(pet.price)} each`,
          }),
        );
        label.title = pet.description;
        row.append(label);
        if (pet.soldOut) {
          row.append(
            Object.assign(document.createElement("span"), { className: "sold-out-tag", textContent: "Sold out" }),
          );
          return row;
        }
        (label as HTMLLabelElement).htmlFor = id;
        const input = Object.assign(document.createElement("input"), {
          type: "number",
          inputMode: "numeric",
          min: "0",
          max: "99",
          step: "1",
          value: "0",
          id,
          name: quantityField(pet.sku),
        });
        const error = Object.assign(document.createElement("p"), { className: "field-error", id: `${id}-error` });
        error.dataset.errorFor = input.name;
        input.setAttribute("aria-describedby", `${error.id} basket-error`); // a basket-wide error is read on each pet too
        row.append(input, error);
        return row;
      }),
    );
    petList.removeAttribute("aria-busy");
    showTotal();
  }

  /** Cents, from the catalogue's prices; lines the API will refuse (not whole, out of range) are left out. */
  function basketCents() {
    let cents = 0;
    let count = 0;
    for (const pet of pets) {
      const quantity = Number(control(quantityField(pet.sku))?.value.trim() || 0);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) continue;
      cents += Math.round(pet.price * 100) * quantity;
      count += quantity;
    }
    return { cents, count };
  }

  function showTotal() {
    const { cents, count } = basketCents();
    totalText.textContent =
      count === 0 ? "No pets chosen yet." : `Total: ${formatCents(cents)} for ${count} ${count === 1 ? "pet" : "pets"}`;
  }
  petList.addEventListener("input", showTotal);

  function showCatalogueError(message: string) {
    petList.removeAttribute("aria-busy");
    petList.textContent = message;
  }

  function read(): FormSubmission {
    const basket: OrderRequest["basket"] = [];
    for (const pet of pets) {
      const raw = control(quantityField(pet.sku))?.value.trim() ?? "";
      // Anything other than empty or 0 is sent as typed: the API says what is wrong with it.
      if (raw !== "" && Number(raw) !== 0) basket.push({ sku: pet.sku, quantity: Number(raw) });
    }
    const value = (name: string) => control(name)?.value.trim() ?? "";
    const shippingAddress = Object.fromEntries(
      ADDRESS_FIELDS.map((f) => [f, value(`shippingAddress.${f}`)]),
    ) as OrderRequest["shippingAddress"];
    const cardToken = cardInputs().find((input) => input.checked)?.value ?? "";
    return {
      request: { basket, paymentDetail: { cardToken }, shippingAddress },
      sentSkus: basket.map((line) => line.sku),
      amount: basketCents().cents / 100,
    };
  }

  /** Fills the form with (part of) an order, e.g. to order again with another card or address. */
  function apply(draft: {
    basket?: OrderRequest["basket"];
    cardToken?: string;
    shippingAddress?: OrderRequest["shippingAddress"];
  }) {
    clearErrors();
    if (draft.basket) {
      for (const pet of pets) {
        const input = control(quantityField(pet.sku));
        if (input) input.value = String(draft.basket.find((line) => line.sku === pet.sku)?.quantity ?? 0);
      }
    }
    if (draft.cardToken !== undefined)
      for (const input of cardInputs()) input.checked = input.value === draft.cardToken;
    if (draft.shippingAddress)
      for (const f of ADDRESS_FIELDS) control(`shippingAddress.${f}`)!.value = draft.shippingAddress[f];
    showTotal();
  }

  /** After an order is placed: no pets chosen (the address and card stay for the next order). */
  function resetBasket() {
    for (const pet of pets) {
      const input = control(quantityField(pet.sku));
      if (input) input.value = "0";
    }
    showTotal();
  }

  function clearErrors() {
    formError.textContent = "";
    formError.hidden = true;
    for (const slot of form.querySelectorAll<HTMLElement>(".field-error")) slot.textContent = "";
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  function showFormError(message: string) {
    formError.hidden = false;
    formError.textContent = message;
  }

  /** A calm note under the button (not an error): "Order … placed", "press again to place it twice". */
  function showNote(message: string | undefined) {
    formNote.textContent = message ?? "";
  }

  /** Puts each message next to its field, and moves the focus to the first one (keyboard users land on it). */
  function showErrors(errors: readonly FieldError[], request: OrderRequest) {
    clearErrors();
    const grouped = groupFieldErrors(errors, request, knownFields());
    let first: HTMLElement | undefined;
    for (const [field, text] of grouped) {
      if (field === FORM_FIELD) continue;
      const slot = errorSlot(field);
      if (slot) slot.textContent = text;
      const inputs =
        field === BASKET_FIELD
          ? [petList.querySelector("input")]
          : field === CARD_FIELD
            ? cardInputs()
            : [control(field)];
      for (const input of inputs) input?.setAttribute("aria-invalid", "true");
      const input = inputs[0];
      // The first in the form's order, whatever order the API listed the errors in.
      if (input && (!first || first.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_PRECEDING)) first = input;
    }
    const general = grouped.get(FORM_FIELD);
    showFormError(general && grouped.size === 1 ? general : FIX_FIELDS_TEXT);
    first?.focus();
  }

  function focusField(name: "card" | "address" | "pets") {
    const target =
      name === "card"
        ? cardInputs()[0]
        : name === "address"
          ? control("shippingAddress.line1")
          : petList.querySelector("input");
    target?.focus();
  }

  function setBusy(busy: boolean) {
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", String(busy));
  }

  return {
    renderCatalogue,
    showCatalogueError,
    read,
    apply,
    resetBasket,
    clearErrors,
    showErrors,
    showFormError,
    showNote,
    focusField,
    setBusy,
  };
}
export type OrderForm = ReturnType<typeof createOrderForm>;
