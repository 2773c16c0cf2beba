import type { IncomingMessage, ServerResponse } from "node:http";
import type Stripe from "stripe";
import type { EmulatorContext } from "../context";
import { payCheckoutSession, type PaymentInput } from "../resources/payments";
import { StripeApiError } from "../wire/errors";
import { parseBody, readBody, redirect, sendHtml } from "../wire/http";
import { merchantName, renderCheckoutPage, renderMessagePage, type FieldErrors, type HostedForm } from "./hosted-view";

/**
 * The hosted checkout page at `session.url`: a plain HTML form (no JavaScript needed) that does
 * exactly what `POST /_emulator/checkout/sessions/{id}/pay` does.
 */
export async function handleHostedPage(ctx: EmulatorContext, tick: () => void, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice("/c/pay/".length)).replace(/\/$/, "");
  const record = ctx.store.sessions[id];
  if (!record) {
    return sendHtml(res, 404, renderMessagePage("Checkout session not found", "This checkout link is not valid. Go back to the shop and start again."));
  }
  const { session } = record;
  const done = closedPage(session);
  if (done) return sendHtml(res, done.status, done.html);

  const initial: HostedForm = {
    email: session.customer_details?.email ?? session.customer_email ?? "",
    method: "card",
    cardNumber: "",
    cardExpiry: "",
    cardName: "",
    iban: "",
    accountHolder: "",
  };
  if (req.method !== "POST") return sendHtml(res, 200, renderCheckoutPage({ session, lineItems: record.lineItems, form: initial }));

  const params = parseBody(req, await readBody(req));
  const text = (name: string) => (typeof params[name] === "string" ? (params[name] as string).trim() : "");
  const form: HostedForm = {
    email: text("email"),
    method: text("method") === "bank" ? "bank" : "card",
    cardNumber: text("card_number"),
    cardExpiry: text("card_expiry"),
    cardName: text("card_name"),
    iban: text("iban"),
    accountHolder: text("account_holder"),
  };
  const { errors, input } = validate(form, text("card_cvc"));
  if (!input) {
    return sendHtml(res, 400, renderCheckoutPage({ session, lineItems: record.lineItems, form, errors, alert: "Check the highlighted fields and try again." }));
  }
  try {
    const result = payCheckoutSession(ctx, session.id, input);
    tick();
    if (result.outcome === "declined") {
      return sendHtml(res, 402, renderCheckoutPage({ session, lineItems: record.lineItems, form, alert: result.error.message }));
    }
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    const closed = closedPage(session);
    if (closed) return sendHtml(res, closed.status, closed.html);
    const fieldErrors: FieldErrors = error.body.param === "iban" ? { iban: error.message } : {};
    return sendHtml(res, 400, renderCheckoutPage({ session, lineItems: record.lineItems, form, errors: fieldErrors, alert: error.message }));
  }
  if (session.success_url) return redirect(res, session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
  sendHtml(res, 200, closedPage(session)?.html ?? "");
}

function closedPage(session: Stripe.Checkout.Session) {
  const merchant = merchantName(session);
  if (session.status === "expired") {
    const link = session.cancel_url ? { href: session.cancel_url, text: `Return to ${merchant}` } : undefined;
    return { status: 410, html: renderMessagePage("This checkout session has expired", "The time to pay has run out and nothing was charged. Start again from the shop.", link) };
  }
  if (session.status === "complete") {
    const link = session.success_url ? { href: session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id), text: `Return to ${merchant}` } : undefined;
    const message = session.payment_status === "paid" ? "Your payment was received. There is nothing more to do here." : "Your bank debit is being processed. You will hear from the shop once it clears.";
    return { status: 200, html: renderMessagePage("This checkout session is complete", message, link) };
  }
  return undefined;
}

function validate(form: HostedForm, cvc: string): { errors: FieldErrors; input?: PaymentInput } {
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) errors.email = "Enter a valid email address, such as you@example.com.";
  if (form.method === "bank") {
    if (!form.iban) errors.iban = "Enter your IBAN.";
    if (!form.accountHolder) errors.accountHolder = "Enter the account holder's name.";
    if (Object.keys(errors).length > 0) return { errors };
    return { errors, input: { kind: "iban", iban: form.iban, email: form.email } };
  }
  const digits = form.cardNumber.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits)) errors.cardNumber = "Your card number is incomplete.";
  const expiry = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(form.cardExpiry);
  let expMonth = 0;
  let expYear = 0;
  if (!expiry) errors.cardExpiry = "Enter the expiry date as MM / YY.";
  else {
    expMonth = Number(expiry[1]);
    expYear = Number(expiry[2]!.length === 2 ? `20${expiry[2]}` : expiry[2]);
    const now = new Date();
    if (expMonth < 1 || expMonth > 12) errors.cardExpiry = "Your card's expiration month is invalid.";
    else if (expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1)) {
      errors.cardExpiry = "Your card's expiration date is in the past.";
    }
  }
  if (!/^\d{3,4}$/.test(cvc)) errors.cardCvc = "Your card's security code is incomplete.";
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, input: { kind: "card", number: digits, expMonth, expYear, email: form.email } };
}
