import type Stripe from "stripe";
import type { PaymentForFulfilment } from "@/db/queries/payments";
import type { ReceiptSnapshot } from "@/db/schema";

/** Card brand and last four (or a bank debit's last four) from the expanded PaymentIntent. */
export function paymentMethodSummary(session: Stripe.Checkout.Session): ReceiptSnapshot["paymentMethod"] {
  const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  const charge = intent && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const details = charge?.payment_method_details;
  if (details) {
    const last4 = details.card?.last4 ?? details.sepa_debit?.last4 ?? details.us_bank_account?.last4 ?? null;
    return { type: details.type, brand: details.card?.brand ?? null, last4 };
  }
  const type = intent?.payment_method_types?.[0] ?? session.payment_method_types?.[0];
  return type ? { type, brand: null, last4: null } : null;
}

/** The receipt as it stands when the payment succeeds; never rewritten afterwards. */
export function buildReceiptSnapshot(
  locked: PaymentForFulfilment,
  session: Stripe.Checkout.Session,
  receiptNumber: string,
  paidAt: Date,
): ReceiptSnapshot {
  const { payment, organization, event, ticketType, buyer } = locked;
  return {
    receiptNumber,
    paymentId: payment.id,
    organization: { id: organization.id, name: organization.name },
    event: {
      id: event.id,
      title: event.title,
      startsAt: event.startsAt.toISOString(),
      venue: event.venue,
      timeZone: event.timeZone,
    },
    buyer: { id: buyer.id, email: buyer.email, name: buyer.name },
    items: [
      {
        ticketType: ticketType.name,
        ticketTypeId: ticketType.id,
        quantity: payment.quantity,
        unitAmount: payment.unitAmount,
        amount: payment.amountTotal,
      },
    ],
    amountTotal: payment.amountTotal,
    currency: payment.currency,
    paymentMethod: paymentMethodSummary(session),
    stripe: {
      checkoutSessionId: session.id,
      paymentIntentId: paymentIntentIdOf(session),
    },
    paidAt: paidAt.toISOString(),
  };
}

export function paymentIntentIdOf(session: Stripe.Checkout.Session): string | null {
  const intent = session.payment_intent;
  if (!intent) return null;
  return typeof intent === "string" ? intent : intent.id;
}
