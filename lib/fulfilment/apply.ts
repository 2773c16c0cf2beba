import "server-only";
import type Stripe from "stripe";
import type { Executor, Transaction } from "@/db/client";
import { markPaymentPaid, markPaymentProcessing, updatePayment, type PaymentForFulfilment } from "@/db/queries/payments";
import { recordPaidFulfilment, type PaidFulfilment } from "@/db/queries/fulfilment";
import { insertRefund, listRefundsOfPayment } from "@/db/queries/refunds";
import type { StripeEventToRecord } from "@/db/queries/stripe-events";
import { receiptNumberFor } from "@/lib/receipts/number";
import { buildReceiptSnapshot, paymentIntentIdOf } from "@/lib/receipts/snapshot";
import { generateTicketCodes } from "@/lib/tickets/codes";
import { soldOutWhilePaying, type FulfilmentDecision } from "./decide";

/**
 * Carries out a fulfilment decision inside the transaction that holds the payment lock — every
 * decision but "fulfil", which issueTicketsAndReceipt carries out together with recording its event.
 */
export async function applyFulfilmentDecision(
  tx: Transaction,
  locked: PaymentForFulfilment,
  session: Stripe.Checkout.Session,
  decision: Exclude<FulfilmentDecision, "fulfil">,
  now: Date,
): Promise<void> {
  const { payment } = locked;
  const paymentIntentId = paymentIntentIdOf(session);
  switch (decision) {
    case "processing":
      await markPaymentProcessing(tx, payment.id, paymentIntentId);
      return;
    case "amount_mismatch": {
      // Never issue tickets for money we did not ask for: flag it for a person to look at.
      const reason = `amount mismatch: Stripe charged ${session.amount_total} ${session.currency}, expected ${payment.amountTotal} ${payment.currency}`;
      console.error(`[boxoffice] payment ${payment.id} flagged: ${reason} (session ${session.id})`);
      await updatePayment(tx, payment.id, { flaggedAt: now, failureReason: reason, stripePaymentIntentId: paymentIntentId });
      return;
    }
    case "sold_out":
      await startSoldOutRefund(tx, locked, paymentIntentId, now);
      return;
    default:
      return;
  }
}

/**
 * Tickets and receipt for a paid payment, with the event that triggered it recorded in the same
 * statement (see recordPaidFulfilment). False when nothing changed: the event had been recorded
 * before (a redelivery), or — unlocked — the payment was no longer payable as read.
 */
export async function issueTicketsAndReceipt(
  executor: Executor,
  found: PaymentForFulfilment,
  session: Stripe.Checkout.Session,
  paidAt: Date,
  { record, unlocked }: { record?: StripeEventToRecord; unlocked: boolean },
): Promise<boolean> {
  const { payment } = found;
  const receiptNumber = receiptNumberFor(payment.id, paidAt);
  const fulfilment: PaidFulfilment = {
    ...(record && {
      event: {
        id: record.event.id,
        type: record.event.type,
        createdAt: new Date(record.event.created * 1000),
        rawBody: record.rawBody,
      },
    }),
    payment,
    paidAt,
    paymentIntentId: paymentIntentIdOf(session),
    ticketCodes: generateTicketCodes(payment.quantity),
    receipt: { number: receiptNumber, snapshot: buildReceiptSnapshot(found, session, receiptNumber, paidAt) },
  };
  return recordPaidFulfilment(executor, fulfilment, { unlocked });
}

/**
 * Stripe took the money but the places are gone: record the payment as paid-without-tickets and a
 * pending full refund (sequence 1, so its Stripe idempotency key is fixed) before Stripe is
 * called, outside this lock. A crash after this commit leaves a state that the next attempt
 * resumes with the same key: never a lost or second refund.
 */
async function startSoldOutRefund(
  tx: Transaction,
  locked: PaymentForFulfilment,
  paymentIntentId: string | null,
  paidAt: Date,
) {
  const { payment } = locked;
  await markPaymentPaid(tx, payment.id, { paidAt, paymentIntentId, failureReason: soldOutWhilePaying });
  const existing = (await listRefundsOfPayment(tx, payment.id)).find((r) => r.sequence === 1);
  if (existing) return;
  await insertRefund(tx, {
    paymentId: payment.id,
    organizationId: payment.organizationId,
    sequence: 1,
    amount: payment.amountTotal,
    currency: payment.currency,
    status: "pending",
    note: soldOutWhilePaying,
    releasePlaces: false,
  });
}
