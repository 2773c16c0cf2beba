import "server-only";
import type { Database } from "@/db/client";
import { attachCheckoutSession, findPaymentForCheckout } from "@/db/queries/payments-purchase";
import { AppError } from "@/lib/errors";
import { createCheckoutSession, sessionExpiresAt } from "./checkout-session";
import type { PurchaseResult } from "./purchase-tickets";

/**
 * A repeated request (same buyer, same key, same purchase): answer with the payment already made.
 * If its session is not stored yet (the first request is still talking to Stripe), ask Stripe
 * again with the same idempotency key and the same parameters, which returns the same session.
 */
export async function replayPurchase(db: Database, paymentId: string): Promise<PurchaseResult> {
  const payment = await findPaymentForCheckout(db, paymentId);
  if (!payment) throw new AppError("conflict", "That checkout no longer exists. Please start again.");
  const result = (sessionId: string, url: string): PurchaseResult => ({
    paymentId: payment.id,
    checkoutSessionId: sessionId,
    checkoutUrl: url,
    expiresAt: sessionExpiresAt(payment.createdAt).toISOString(),
    status: payment.status,
  });
  if (payment.stripeCheckoutSessionId && payment.stripeCheckoutUrl) {
    return result(payment.stripeCheckoutSessionId, payment.stripeCheckoutUrl);
  }
  if (payment.status !== "pending") {
    throw new AppError("conflict", "That checkout has ended. Please start a new purchase.");
  }
  try {
    // The row carries every CheckoutInput field, read from the same columns as the first request.
    const session = await createCheckoutSession({ ...payment, paymentId: payment.id });
    if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
    await attachCheckoutSession(db, payment.id, session.id, session.url);
    return result(session.id, session.url);
  } catch (cause) {
    // The first request owns this payment's fate (it fails it if Stripe is down); a replay only reports.
    throw new AppError("payment_provider_unavailable", "Your checkout is still being prepared. Please try again in a moment.", undefined, { cause });
  }
}
