import "server-only";
import type Stripe from "stripe";
import { getEnv } from "@/lib/env";
import { getStripe, withoutCallSite } from "@/lib/stripe/client";

/** What a Checkout Session is built from — all of it read from the database. */
export interface CheckoutInput {
  paymentId: string;
  organizationId: string;
  eventId: string;
  eventTitle: string;
  ticketTypeName: string;
  unitAmount: number;
  currency: string;
  quantity: number;
  email: string;
  /** The payment's creation time: the session's expiry is derived from it, not from "now". */
  createdAt: Date;
}

// Stripe measures its 30-minute minimum from when it receives the request; a few seconds of slack
// keep a session created at the minimum valid after network latency.
const expirySlackSeconds = 15;
/** The hold outlasts the session, so a payment Stripe accepts is always inside its hold. */
export const holdMarginMinutes = 5;

export function sessionExpiresAt(createdAt: Date): Date {
  const seconds = Math.floor(createdAt.getTime() / 1000) + getEnv().checkoutSessionMinutes * 60 + expirySlackSeconds;
  return new Date(seconds * 1000);
}

export function holdExpiresAt(now: Date): Date {
  return new Date(now.getTime() + (getEnv().checkoutSessionMinutes + holdMarginMinutes) * 60_000);
}

/**
 * Creates the hosted Checkout Session for a held payment. Every parameter derives from the payment,
 * and the idempotency key from its id, so a repeated call (double submit, retry) gets the same session.
 */
export async function createCheckoutSession(input: CheckoutInput): Promise<Stripe.Checkout.Session> {
  const { appUrl } = getEnv();
  const metadata = { payment_id: input.paymentId, organization_id: input.organizationId, event_id: input.eventId };
  return withoutCallSite(() =>
    getStripe().checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: input.quantity,
            price_data: {
              currency: input.currency,
              unit_amount: input.unitAmount,
              product_data: { name: `${input.eventTitle} — ${input.ticketTypeName}` },
            },
          },
        ],
        success_url: `${appUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
        // The payment id rides along so the cancel page works even where the template is not filled in.
        cancel_url: `${appUrl}/checkout/cancel?session_id={CHECKOUT_SESSION_ID}&payment_id=${input.paymentId}`,
        expires_at: Math.floor(sessionExpiresAt(input.createdAt).getTime() / 1000),
        customer_email: input.email,
        client_reference_id: input.paymentId,
        metadata,
        payment_intent_data: { metadata },
      },
      { idempotencyKey: `checkout-session-${input.paymentId}` },
    ),
  );
}
