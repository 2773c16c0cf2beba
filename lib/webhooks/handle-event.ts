import "server-only";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { stripeEventSeen, type StripeEventToRecord } from "@/db/queries/stripe-events";
import { applyEventOnce } from "./apply-once";
import { handleCheckoutSessionClosed } from "./checkout-session-closed";
import { handleCheckoutSessionPaid } from "./checkout-session-paid";
import { handleDisputeEvent } from "./disputes";
import { handlePaymentIntentFailed } from "./payment-intent-failed";
import { handleChargeRefunded, handleRefundEvent } from "./refunds";

/**
 * Applies one verified Stripe event (DESIGN.md's event table). Each handler records the event in
 * the transaction of its effect; anything thrown rolls that back and becomes a 500, so Stripe
 * delivers again. Types we do not act on are recorded and acknowledged.
 */
export async function handleStripeEvent(event: Stripe.Event, rawBody: string): Promise<void> {
  const record: StripeEventToRecord = { event, rawBody: storablePayload(rawBody) };
  // Payment completions are the hot path: their own transaction already turns a redelivery into a
  // no-op, so they skip the extra look-up (a round trip each) that the other events make.
  if (event.type === "checkout.session.completed" || event.type === "checkout.session.async_payment_succeeded") {
    return handleCheckoutSessionPaid(event, record);
  }
  // Redeliveries are common; skip them before asking Stripe anything. (The insert in the effect's
  // transaction stays the real guard against concurrent duplicates.)
  if (await stripeEventSeen(await getDb(), event.id)) return;
  switch (event.type) {
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      return handleCheckoutSessionClosed(event, record);
    case "payment_intent.payment_failed":
      return handlePaymentIntentFailed(event, record);
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
      return handleRefundEvent(event, record);
    case "charge.refunded":
      return handleChargeRefunded(event, record);
    case "charge.dispute.created":
    case "charge.dispute.closed":
      return handleDisputeEvent(event, record);
    default:
      await applyEventOnce(record, null);
  }
}

/**
 * The event body as it can be stored: Postgres's jsonb refuses the escape `\u0000`, which a buyer's
 * typed text (a billing name, say) could carry. An event we cannot store would fail on every
 * retry, so the stored copy gets U+FFFD in its place; the signature was checked on the original.
 * An escaped backslash followed by "u0000" is text, not a NUL, and stays.
 */
export function storablePayload(rawBody: string): string {
  return rawBody.includes("\\u0000") ? rawBody.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1\\ufffd") : rawBody;
}

