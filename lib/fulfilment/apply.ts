import "server-only";
import type Stripe from "stripe";
import type { Transaction } from "@/db/client";
import { markPaymentPaid, markPaymentProcessing, updatePayment, type PaymentForFulfilment } from "@/db/queries/payments";
import { insertReceipt } from "@/db/queries/receipts";
import { insertRefund, listRefundsOfPayment } from "@/db/queries/refunds";
import { issueTickets } from "@/db/queries/tickets";
import { receiptNumberFor } from "@/lib/receipts/number";
import { buildReceiptSnapshot, paymentIntentIdOf } from "@/lib/receipts/snapshot";
import { generateTicketCodes } from "@/lib/tickets/codes";
import { soldOutWhilePaying, type FulfilmentDecision } from "./decide";

/**
 * Carries out a fulfilment decision inside the transaction that holds the payment lock. Returns
 * the receipt number when tickets and receipt were issued now.
 */
export async function applyFulfilmentDecision(
  tx: Transaction,
  locked: PaymentForFulfilment,
  session: Stripe.Checkout.Session,
  decision: FulfilmentDecision,
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
    case "fulfil":
      await issueTicketsAndReceipt(tx, locked, session, paymentIntentId, now);
      return;
    default:
      return;
  }
}

async function issueTicketsAndReceipt(
  tx: Transaction,
  locked: PaymentForFulfilment,
  session: Stripe.Checkout.Session,
  paymentIntentId: string | null,
  paidAt: Date,
) {
  const { payment } = locked;
  const receiptNumber = receiptNumberFor(payment.id, paidAt);
  // Issued together: on Postgres the three statements are pipelined on the transaction's
  // connection, so the payment lock is held for one round trip instead of three.
  await Promise.all([
    markPaymentPaid(tx, payment.id, { paidAt, paymentIntentId, failureReason: null }),
    issueTickets(
      tx,
      {
        paymentId: payment.id,
        eventId: payment.eventId,
        ticketTypeId: payment.ticketTypeId,
        organizationId: payment.organizationId,
        ownerUserId: payment.userId,
        issuedAt: paidAt,
      },
      generateTicketCodes(payment.quantity),
    ),
    insertReceipt(tx, {
      paymentId: payment.id,
      organizationId: payment.organizationId,
      eventId: payment.eventId,
      userId: payment.userId,
      receiptNumber,
      snapshot: buildReceiptSnapshot(locked, session, receiptNumber, paidAt),
      issuedAt: paidAt,
    }),
  ]);
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
