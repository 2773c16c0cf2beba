import "server-only";
import Stripe from "stripe";
import { getDb } from "@/db/client";
import { expirePendingPayment, findBuyerPayment } from "@/db/queries/payments-purchase";
import { getStripe } from "@/lib/stripe/client";
import { isUuid } from "@/lib/validation";

export interface CancelledCheckout {
  eventSlug: string;
  ticketTypeId: string;
  quantity: number;
  /** True when the hold was released now; false when the payment had already moved on. */
  released: boolean;
}

/**
 * The buyer left Stripe Checkout with "back"/cancel: expire the session at Stripe (so it cannot be
 * paid any more) and release the hold at once instead of waiting for `checkout.session.expired`.
 * Only the buyer's own payment is found; anything else is treated as unknown.
 */
export async function cancelCheckout(input: {
  userId: string;
  sessionId?: string;
  paymentId?: string;
}): Promise<CancelledCheckout | undefined> {
  const db = await getDb();
  const by = input.sessionId?.startsWith("cs_")
    ? { sessionId: input.sessionId }
    : input.paymentId && isUuid(input.paymentId)
      ? { paymentId: input.paymentId }
      : undefined;
  if (!by) return undefined;
  const payment = await findBuyerPayment(db, input.userId, by);
  if (!payment) return undefined;
  const back = { eventSlug: payment.eventSlug, ticketTypeId: payment.ticketTypeId, quantity: payment.quantity };
  if (payment.status !== "pending" || payment.processingAt || !payment.stripeCheckoutSessionId) {
    return { ...back, released: false };
  }
  try {
    if (!(await expireSession(payment.stripeCheckoutSessionId))) return { ...back, released: false };
  } catch (error) {
    // Stripe unreachable: the buyer still goes back to the event; the hold lapses on its own.
    console.error("[boxoffice] expiring the Checkout Session failed", error);
    return { ...back, released: false };
  }
  await expirePendingPayment(db, payment.id);
  return { ...back, released: true };
}

/** True when the session is expired at Stripe now (by us or before); false when it was paid. */
async function expireSession(sessionId: string): Promise<boolean> {
  const stripe = getStripe();
  try {
    const session = await stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire-${sessionId}` });
    return session.status === "expired";
  } catch (error) {
    // Expiring a session that is no longer open is refused: look at what it became instead.
    if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    return session.status === "expired";
  }
}
