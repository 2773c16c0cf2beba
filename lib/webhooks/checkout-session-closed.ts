import "server-only";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { closePendingPayment, updatePayment } from "@/db/queries/payments";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { findPaymentOfSession } from "@/lib/fulfilment/fulfil";
import { applyEventOnce } from "./apply-once";

type Event = Stripe.CheckoutSessionAsyncPaymentFailedEvent | Stripe.CheckoutSessionExpiredEvent;

/**
 * `checkout.session.async_payment_failed` → failed; `checkout.session.expired` → expired. Either
 * releases the hold (a closed payment stops counting against capacity). Only a payment still
 * pending moves: a paid one is never touched, whatever order the events come in.
 */
export async function handleCheckoutSessionClosed(event: Event, record: StripeEventToRecord): Promise<void> {
  const session = event.data.object;
  const payment = await findPaymentOfSession(await getDb(), session);
  await applyEventOnce(record, payment?.id ?? null, async (tx, { id: paymentId }) => {
    if (event.type === "checkout.session.expired") {
      await closePendingPayment(tx, paymentId, "expired");
      return;
    }
    const closed = await closePendingPayment(tx, paymentId, "failed", "The bank debit failed; no money was taken.");
    const intent = session.payment_intent;
    if (closed && intent) await updatePayment(tx, paymentId, { stripePaymentIntentId: typeof intent === "string" ? intent : intent.id });
  });
}
