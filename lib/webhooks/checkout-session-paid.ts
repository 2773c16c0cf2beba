import "server-only";
import type Stripe from "stripe";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { fulfilSession, readCheckoutSession } from "@/lib/fulfilment/fulfil";

type Event = Stripe.CheckoutSessionCompletedEvent | Stripe.CheckoutSessionAsyncPaymentSucceededEvent;

/**
 * `checkout.session.completed` (paid → fulfil; unpaid → processing, a delayed method) and
 * `checkout.session.async_payment_succeeded` (fulfil). Both re-read the session rather than trust
 * the event's snapshot: a late `completed` (unpaid) after the debit settled must not go backwards.
 */
export async function handleCheckoutSessionPaid(event: Event, record: StripeEventToRecord): Promise<void> {
  await fulfilSession(await readCheckoutSession(event.data.object.id), record);
}
