import type Stripe from "stripe";
import type { EmulatorContext } from "../context";
import { partitionDue, randomId } from "../store";
import { StripeApiError, invalidRequest } from "../wire/errors";
import { getSessionRecord } from "./checkout-sessions";
import { newCharge, newPaymentIntent, type PaymentMethodUsed } from "./payment-objects";
import { cardOutcome, ibanOutcome, last4 } from "./test-cards";

/** What the buyer entered on the hosted page (or what the control API sends for them). */
export type PaymentInput =
  | { kind: "card"; number: string; expMonth?: number; expYear?: number; email?: string }
  | { kind: "iban"; iban: string; email?: string };

export type PaymentResult =
  | { outcome: "paid" | "processing"; session: Stripe.Checkout.Session }
  | { outcome: "declined"; session: Stripe.Checkout.Session; error: StripeApiError };

/**
 * The buyer submits the hosted page: pay by card (now) or bank debit (completes unpaid, settles
 * later). A decline records the failure and leaves the session open for another try.
 */
export function payCheckoutSession(ctx: EmulatorContext, sessionId: string, input: PaymentInput): PaymentResult {
  const record = getSessionRecord(ctx, sessionId);
  const { session } = record;
  const now = ctx.clock.nowSeconds();
  if (session.status === "expired" || (session.status === "open" && session.expires_at <= now)) {
    throw invalidRequest("This Checkout Session has expired.", { code: "checkout_session_expired" });
  }
  if (session.status === "complete") {
    throw invalidRequest("This Checkout Session is already complete.", { code: "checkout_session_complete" });
  }
  const email = input.email?.trim() || session.customer_email || session.customer_details?.email || null;
  const pi = paymentIntentFor(ctx, sessionId);
  const paymentMethodId = randomId("pm_");

  if (input.kind === "card") {
    const outcome = cardOutcome(input.number);
    const method: PaymentMethodUsed = {
      type: "card",
      brand: outcome.kind === "succeeds" ? outcome.brand : "visa",
      funding: outcome.kind === "succeeds" ? outcome.funding : "credit",
      last4: last4(input.number),
      expMonth: input.expMonth ?? 12,
      expYear: input.expYear ?? new Date().getUTCFullYear() + 3,
    };
    if (outcome.kind === "declined") {
      const failure = { code: outcome.code, message: outcome.message, declineCode: outcome.declineCode };
      const charge = newCharge({ pi, created: now, method, paymentMethodId, email, status: "failed", failure });
      ctx.store.charges[charge.id] = charge;
      pi.latest_charge = charge.id;
      pi.status = "requires_payment_method";
      pi.payment_method = null;
      pi.last_payment_error = {
        type: "card_error",
        code: outcome.code,
        decline_code: outcome.declineCode,
        message: outcome.message,
        charge: charge.id,
        doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, "-")}`,
      };
      ctx.emit("charge.failed", charge);
      ctx.emit("payment_intent.payment_failed", pi);
      const error = new StripeApiError(402, {
        type: "card_error",
        code: outcome.code,
        decline_code: outcome.declineCode,
        message: outcome.message,
        charge: charge.id,
      });
      return { outcome: "declined", session, error };
    }
    const charge = newCharge({ pi, created: now, method, paymentMethodId, email, status: "succeeded" });
    ctx.store.charges[charge.id] = charge;
    if (outcome.refundsFail) ctx.store.failingRefundCharges.push(charge.id);
    pi.latest_charge = charge.id;
    pi.payment_method = paymentMethodId;
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    completeSession(session, email, pi.id, "paid");
    ctx.emit("charge.succeeded", charge);
    ctx.emit("payment_intent.succeeded", pi);
    ctx.emit("checkout.session.completed", session);
    return { outcome: "paid", session };
  }

  const outcome = ibanOutcome(input.iban);
  if (outcome.kind === "invalid") {
    throw new StripeApiError(402, { type: "invalid_request_error", code: "invalid_bank_account_iban", message: outcome.message, param: "iban" });
  }
  const iban = input.iban.replace(/\s/g, "").toUpperCase();
  const method: PaymentMethodUsed = { type: "sepa_debit", last4: last4(iban), country: iban.slice(0, 2) };
  const charge = newCharge({ pi, created: now, method, paymentMethodId, email, status: "pending" });
  ctx.store.charges[charge.id] = charge;
  pi.latest_charge = charge.id;
  pi.payment_method = paymentMethodId;
  pi.status = "processing";
  pi.last_payment_error = null;
  completeSession(session, email, pi.id, "unpaid");
  ctx.store.settlements.push({ paymentIntentId: pi.id, dueAt: ctx.clock.nowMs() + ctx.settleDelaySeconds * 1000, succeeds: outcome.succeeds });
  ctx.emit("charge.pending", charge);
  ctx.emit("payment_intent.processing", pi);
  ctx.emit("checkout.session.completed", session);
  return { outcome: "processing", session };
}

/** The PaymentIntent is created with the first attempt (Stripe leaves it null until then). */
function paymentIntentFor(ctx: EmulatorContext, sessionId: string): Stripe.PaymentIntent {
  const record = getSessionRecord(ctx, sessionId);
  const { session } = record;
  if (typeof session.payment_intent === "string") return ctx.store.paymentIntents[session.payment_intent]!;
  const pi = newPaymentIntent({
    amount: session.amount_total ?? 0,
    currency: session.currency ?? "usd",
    created: ctx.clock.nowSeconds(),
    metadata: { ...record.paymentIntentData.metadata },
    description: record.paymentIntentData.description,
    receiptEmail: null,
  });
  ctx.store.paymentIntents[pi.id] = pi;
  session.payment_intent = pi.id;
  return pi;
}

function completeSession(session: Stripe.Checkout.Session, email: string | null, paymentIntentId: string, paymentStatus: "paid" | "unpaid"): void {
  session.status = "complete";
  session.payment_status = paymentStatus;
  session.payment_intent = paymentIntentId;
  session.url = null;
  session.customer_details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
}

/** Bank debits whose settlement time has come on the emulator clock. */
export function settleDuePayments(ctx: EmulatorContext): void {
  const [due, waiting] = partitionDue(ctx.store.settlements, ctx.clock.nowMs());
  if (due.length === 0) return;
  ctx.store.settlements = waiting;
  for (const settlement of due) {
    const pi = ctx.store.paymentIntents[settlement.paymentIntentId];
    const charge = pi && typeof pi.latest_charge === "string" ? ctx.store.charges[pi.latest_charge] : undefined;
    const record = Object.values(ctx.store.sessions).find((r) => r.session.payment_intent === settlement.paymentIntentId);
    if (!pi || !charge || !record) continue;
    const { session } = record;
    if (settlement.succeeds) {
      charge.status = "succeeded";
      charge.paid = true;
      charge.captured = true;
      charge.amount_captured = charge.amount;
      charge.balance_transaction = randomId("txn_");
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      session.payment_status = "paid";
      ctx.emit("charge.succeeded", charge);
      ctx.emit("payment_intent.succeeded", pi);
      ctx.emit("checkout.session.async_payment_succeeded", session);
    } else {
      charge.status = "failed";
      charge.failure_code = "insufficient_funds";
      charge.failure_message = "The customer's account has insufficient funds to cover this payment.";
      pi.status = "requires_payment_method";
      pi.payment_method = null;
      pi.last_payment_error = {
        type: "invalid_request_error",
        code: "payment_method_unactivated",
        decline_code: "insufficient_funds",
        message: "The customer's account has insufficient funds to cover this payment.",
        charge: charge.id,
      };
      ctx.emit("charge.failed", charge);
      ctx.emit("payment_intent.payment_failed", pi);
      ctx.emit("checkout.session.async_payment_failed", session);
    }
  }
}
