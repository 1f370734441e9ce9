/// <reference lib="dom.iterable" />
/**
 * The order form: a quantity per pet from the catalogue (with the basket's total as it changes), a
 * card token and an address. The API is the validator; its field errors are shown next to the
 * fields they name, in the shop's words (see field-errors.ts).
 */
import type { FieldError, OrderRequest, Pet } from "./api-client";
import { BASKET_FIELD, FORM_FIELD, groupFieldErrors, quantityField } from "./field-errors";
import type { OrderDraft } from "./presets";
import { formatAmount, formatCents } from "./status-text";

export type FormSubmission = { request: OrderRequest; sentSkus: string[]; amount?: number };

export const FIX_FIELDS_TEXT = "Some details are missing or need a change. Please fix the highlighted fields, then place the order again.";

const ADDRESS_FIELDS = ["name", "line1", "city", "postalCode", "country"] as const;

export function createOrderForm(form: HTMLFormElement) {
  const petList = form.querySelector<HTMLElement>("#pet-list")!;
  const formError = form.querySelector<HTMLElement>("#form-error")!;
  const submitButton = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const totalText = form.querySelector<HTMLElement>("#basket-total")!;
  let pets: Pet[] = [];

  const control = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  const errorSlot = (field: string) =>
    field === BASKET_FIELD ? form.querySelector<HTMLElement>("#basket-error") : form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`);
  const knownFields = () => new Set([...form.querySelectorAll<HTMLInputElement>("input[name]")].map((input) => input.name));

  function renderCatalogue(catalogue: Pet[]) {
    pets = catalogue;
    petList.replaceChildren(
      ...catalogue.map((pet) => {
        const id = `qty-${pet.sku}`;
        const row = document.createElement("div");
        row.className = "pet";
        row.innerHTML = `<label></label><input type="number" inputmode="numeric" min="0" max="99" step="1" value="0"><p class="field-error"></p>`;
        const label = row.querySelector("label")!;
        label.htmlFor = id;
        label.append(
          Object.assign(document.createElement("span"), { className: "pet-name", textContent: pet.name }),
          Object.assign(document.createElement("span"), { className: "pet-meta", textContent: `${pet.species} · ${formatAmount(pet.price)} each` }),
        );
        label.title = pet.description;
        const input = row.querySelector("input")!;
        Object.assign(input, { id, name: quantityField(pet.sku) });
        const error = row.querySelector<HTMLElement>(".field-error")!;
        error.id = `${id}-error`;
        error.dataset.errorFor = input.name;
        input.setAttribute("aria-describedby", `${error.id} basket-error`); // a basket-wide error is read on each pet too
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
    totalText.textContent = count === 0 ? "No pets chosen yet." : `Total: ${formatCents(cents)} for ${count} ${count === 1 ? "pet" : "pets"}`;
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
    const shippingAddress = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, value(`shippingAddress.${f}`)])) as OrderRequest["shippingAddress"];
    shippingAddress.country = shippingAddress.country.toUpperCase();
    return {
      request: { basket, paymentDetail: { cardToken: value("paymentDetail.cardToken") }, shippingAddress },
      sentSkus: basket.map((line) => line.sku),
      amount: basketCents().cents / 100,
    };
  }

  function apply(draft: OrderDraft) {
    clearErrors();
    for (const pet of pets) {
      const input = control(quantityField(pet.sku));
      if (input) input.value = String(draft.quantities[pet.sku] ?? 0);
    }
    control("paymentDetail.cardToken")!.value = draft.cardToken;
    for (const f of ADDRESS_FIELDS) control(`shippingAddress.${f}`)!.value = draft.shippingAddress[f];
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

  /** Puts each message next to its field, and moves the focus to the first one (keyboard users land on it). */
  function showErrors(errors: readonly FieldError[], request: OrderRequest) {
    clearErrors();
    const grouped = groupFieldErrors(errors, request, knownFields());
    let first: HTMLElement | undefined;
    for (const [field, text] of grouped) {
      if (field === FORM_FIELD) continue;
      const slot = errorSlot(field);
      if (slot) slot.textContent = text;
      const input = field === BASKET_FIELD ? petList.querySelector("input") : control(field);
      input?.setAttribute("aria-invalid", "true");
      // The first in the form's order, whatever order the API listed the errors in.
      if (input && (!first || first.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_PRECEDING)) first = input;
    }
    const general = grouped.get(FORM_FIELD);
    showFormError(general && grouped.size === 1 ? general : FIX_FIELDS_TEXT);
    first?.focus();
  }

  function setBusy(busy: boolean) {
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", String(busy));
  }

  return { renderCatalogue, showCatalogueError, read, apply, clearErrors, showErrors, showFormError, setBusy };
}
export type OrderForm = ReturnType<typeof createOrderForm>;
