import "server-only";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { findPaymentById, findPaymentByPaymentIntent } from "@/db/queries/payments";
import type { EventPayment } from "@/db/schema";
import { isFulfilled } from "@/lib/fulfilment/decide";
import { fulfil } from "@/lib/fulfilment/fulfil";
import { isUuid } from "@/lib/validation";
import { getStripe } from "@/lib/stripe/client";

type IntentRef = string | Stripe.PaymentIntent | null | undefined;

/**
 * The payment a PaymentIntent belongs to. Refund and dispute events carry only the intent (or the
 * charge); before fulfilment has stored the intent id, its metadata's `payment_id` (set by the
 * purchase service through `payment_intent_data.metadata`) links it.
 */
export async function findPaymentOfIntent(intent: IntentRef): Promise<EventPayment | undefined> {
  if (!intent) return undefined;
  const intentId = typeof intent === "string" ? intent : intent.id;
  const db = await getDb();
  const stored = await findPaymentByPaymentIntent(db, intentId);
  if (stored) return stored;
  const metadata = typeof intent === "string" ? (await getStripe().paymentIntents.retrieve(intentId)).metadata : intent.metadata;
  const paymentId = metadata?.payment_id;
  if (!isUuid(paymentId)) return undefined;
  const payment = await findPaymentById(db, paymentId);
  return payment && (payment.stripePaymentIntentId === null || payment.stripePaymentIntentId === intentId) ? payment : undefined;
}

/** The intent of a charge, asking Stripe when only the charge id is known. */
export async function intentOfCharge(charge: string | Stripe.Charge): Promise<string | null> {
  const object = typeof charge === "string" ? await getStripe().charges.retrieve(charge) : charge;
  const intent = object.payment_intent;
  return typeof intent === "string" ? intent : (intent?.id ?? null);
}

/**
 * Decision for events that arrive before the payment is fulfilled in our records (a refund or a
 * dispute before `checkout.session.completed`): perform fulfilment first — it re-reads the session
 * from Stripe, which already says paid — so the end state equals in-order delivery.
 */
export async function ensureFulfilled(payment: EventPayment): Promise<string> {
  // Only the id is returned: the caller re-reads the payment under its lock anyway.
  if (!isFulfilled(payment) && payment.stripeCheckoutSessionId) await fulfil(payment.stripeCheckoutSessionId);
  return payment.id;
}
