import type Stripe from "stripe";
import { formatAmount } from "../resources/currency";
import { escapeHtml, layout } from "./html";

export interface HostedForm {
  email: string;
  method: "card" | "bank";
  cardNumber: string;
  cardExpiry: string;
  cardName: string;
  iban: string;
  accountHolder: string;
}

export type FieldErrors = Partial<Record<keyof HostedForm | "cardCvc", string>>;

const css = `
  .checkout { display: grid; gap: 2rem; grid-template-columns: 1fr; }
  @media (min-width: 760px) { .checkout { grid-template-columns: 1fr 1fr; } }
  .summary h2, .pay h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
  .total { font-size: 2rem; font-weight: 700; margin: .25rem 0 1rem; }
  .pay { background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 1.25rem; }
  label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
  input[type=text], input[type=email] { width: 100%; font: inherit; padding: .55rem .65rem; border: 1px solid var(--border); border-radius: 6px; }
  input[aria-invalid=true] { border-color: var(--error); }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
  .hint { color: var(--muted); font-size: .875rem; margin: .15rem 0 0; }
  .field-error { color: var(--error); font-size: .875rem; margin: .25rem 0 0; }
  fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
  legend { font-weight: 600; padding: 0; }
  .methods { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: .35rem; }
  .methods label { display: inline-flex; gap: .4rem; align-items: center; font-weight: 500; margin: 0; }
  .alert { border: 1px solid var(--error); background: #fdecea; color: var(--error); border-radius: 6px; padding: .75rem; margin-bottom: 1rem; }
  button { margin-top: 1.25rem; width: 100%; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; padding: .75rem; cursor: pointer; }
  /* Without JavaScript both groups stay visible (and either can be used); with :has() support the
     unchosen one hides. The server uses whichever method is selected. */
  form:has(#method-bank:checked) .card-fields, form:has(#method-card:checked) .bank-fields { display: none; }
  .back { display: inline-block; margin-bottom: 1rem; }
`;

export function merchantName(session: Stripe.Checkout.Session): string {
  const m = session.metadata ?? {};
  return m.organizationName ?? m.organization_name ?? "boxoffice";
}

export function renderCheckoutPage(args: {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  form: HostedForm;
  errors?: FieldErrors;
  alert?: string;
}): string {
  const { session, lineItems, form, errors = {}, alert } = args;
  const currency = session.currency ?? "usd";
  const merchant = merchantName(session);
  const total = formatAmount(session.amount_total ?? 0, currency);
  const rows = lineItems
    .map((li) => {
      const unit = li.price?.unit_amount ?? 0;
      return `<tr><td>${escapeHtml(li.description)}<div class="hint">${escapeHtml(formatAmount(unit, currency))} each</div></td><td class="num">${li.quantity}</td><td class="num">${escapeHtml(formatAmount(li.amount_total, currency))}</td></tr>`;
    })
    .join("");
  const errorSummary = alert ? `<div class="alert" role="alert" id="payment-error">${escapeHtml(alert)}</div>` : "";
  const back = session.cancel_url ? `<a class="back" href="${escapeHtml(session.cancel_url)}">← Back to ${escapeHtml(merchant)}</a>` : "";
  const body = `<main>
${back}
<p><span class="badge">Test mode</span> Stripe emulator — no real money moves.</p>
<div class="checkout">
  <section class="summary" aria-labelledby="summary-heading">
    <h1 style="font-size:1rem;color:var(--muted);margin:0">Pay ${escapeHtml(merchant)}</h1>
    <p class="total" id="summary-heading">${escapeHtml(total)}</p>
    <table>
      <caption class="sr-only">Order summary</caption>
      <thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Amount</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><th scope="row" colspan="2">Total due</th><td class="num"><strong>${escapeHtml(total)}</strong></td></tr></tfoot>
    </table>
  </section>
  <section class="pay" aria-labelledby="pay-heading">
    <h2 id="pay-heading">Payment details</h2>
    ${errorSummary}
    <form method="post" action="/c/pay/${escapeHtml(session.id)}" novalidate>
      ${field("email", "Email", form.email, errors.email, { type: "email", autocomplete: "email", required: true })}
      <fieldset>
        <legend>Payment method</legend>
        <div class="methods">
          <label><input type="radio" name="method" value="card" id="method-card"${form.method === "card" ? " checked" : ""}> Card</label>
          <label><input type="radio" name="method" value="bank" id="method-bank"${form.method === "bank" ? " checked" : ""}> Bank debit (SEPA)</label>
        </div>
      </fieldset>
      <div class="card-fields">
        ${field("cardNumber", "Card number", form.cardNumber, errors.cardNumber, { name: "card_number", autocomplete: "cc-number", inputmode: "numeric", placeholder: "4242 4242 4242 4242" })}
        <div class="row">
          <div>${field("cardExpiry", "Expiry (MM / YY)", form.cardExpiry, errors.cardExpiry, { name: "card_expiry", autocomplete: "cc-exp", placeholder: "12 / 34" })}</div>
          <div>${field("cardCvc", "CVC", "", errors.cardCvc, { name: "card_cvc", autocomplete: "cc-csc", inputmode: "numeric", placeholder: "123" })}</div>
        </div>
        ${field("cardName", "Name on card", form.cardName, errors.cardName, { name: "card_name", autocomplete: "cc-name" })}
      </div>
      <div class="bank-fields">
        ${field("iban", "IBAN", form.iban, errors.iban, { name: "iban", placeholder: "DE89 3704 0044 0532 0130 00", hint: "Test IBANs: DE89370400440532013000 settles, DE62370400440532013001 fails." })}
        ${field("accountHolder", "Account holder name", form.accountHolder, errors.accountHolder, { name: "account_holder", autocomplete: "name" })}
      </div>
      <button type="submit">Pay ${escapeHtml(total)}</button>
      <p class="hint">Test cards: 4242 4242 4242 4242 pays · 4000 0000 0000 0002 is declined · 4000 0000 0000 9995 has insufficient funds.</p>
    </form>
  </section>
</div>
</main>`;
  return layout(`Pay ${merchant} — ${total}`, body, css);
}

function field(
  id: string,
  label: string,
  value: string,
  error: string | undefined,
  opts: { type?: string; name?: string; autocomplete?: string; inputmode?: string; placeholder?: string; required?: boolean; hint?: string },
): string {
  const err = error;
  const describedBy = [opts.hint ? `${id}-hint` : "", err ? `${id}-error` : ""].filter(Boolean).join(" ");
  return `<label for="${id}">${escapeHtml(label)}</label>
<input id="${id}" name="${escapeHtml(opts.name ?? id)}" type="${opts.type ?? "text"}" value="${escapeHtml(value)}"${opts.autocomplete ? ` autocomplete="${opts.autocomplete}"` : ""}${opts.inputmode ? ` inputmode="${opts.inputmode}"` : ""}${opts.placeholder ? ` placeholder="${escapeHtml(opts.placeholder)}"` : ""}${opts.required ? " required" : ""}${err ? ' aria-invalid="true"' : ""}${describedBy ? ` aria-describedby="${describedBy}"` : ""}>
${opts.hint ? `<p class="hint" id="${id}-hint">${escapeHtml(opts.hint)}</p>` : ""}${err ? `<p class="field-error" id="${id}-error">${escapeHtml(err)}</p>` : ""}`;
}

/** Expired, complete or unknown sessions: say so plainly, with a way back. */
export function renderMessagePage(title: string, message: string, link?: { href: string; text: string }): string {
  return layout(
    title,
    `<main><p><span class="badge">Test mode</span></p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${
      link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ""
    }</main>`,
  );
}
