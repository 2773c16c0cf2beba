import "server-only";
import type Stripe from "stripe";
import { recordPaymentFailureReason } from "@/db/queries/payments";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { applyEventOnce } from "./apply-once";
import { findPaymentOfIntent } from "./resolve-payment";

/**
 * `payment_intent.payment_failed`: a declined card. The session stays open for another try, so the
 * payment stays pending; we keep the last reason to show the buyer and the organizer.
 */
export async function handlePaymentIntentFailed(event: Stripe.PaymentIntentPaymentFailedEvent, record: StripeEventToRecord) {
  const intent = event.data.object;
  const payment = await findPaymentOfIntent(intent);
  const error = intent.last_payment_error;
  const reason = error?.message ?? error?.decline_code ?? error?.code ?? "The payment was declined.";
  await applyEventOnce(record, payment?.id ?? null, (tx, { id }) => recordPaymentFailureReason(tx, id, reason));
}
