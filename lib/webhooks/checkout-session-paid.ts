import "server-only";
import type Stripe from "stripe";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { getDb } from "@/db/client";
import { findPaymentOfSession, fulfilSession, readCheckoutSession } from "@/lib/fulfilment/fulfil";

type Event = Stripe.CheckoutSessionCompletedEvent | Stripe.CheckoutSessionAsyncPaymentSucceededEvent;

/**
 * `checkout.session.completed` (paid → fulfil; unpaid → processing, a delayed method) and
 * `checkout.session.async_payment_succeeded` (fulfil). Both re-read the session rather than trust
 * the event's snapshot: a late `completed` (unpaid) after the debit settled must not go backwards.
 */
export async function handleCheckoutSessionPaid(event: Event, record: StripeEventToRecord): Promise<void> {
  // Our payment is found from the event's ids while Stripe is asked (the two do not depend on each other).
  const [session, payment] = await Promise.all([
    readCheckoutSession(event.data.object.id),
    getDb().then((db) => findPaymentOfSession(db, event.data.object)),
  ]);
  await fulfilSession(session, record, payment ?? null);
}
