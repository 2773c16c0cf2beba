import "server-only";
import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { eventPaymentReceipts, eventPayments, memberships, refunds } from "../schema";

export async function findReceiptNumberOfPayment(db: Executor, paymentId: string) {
  const [row] = await db
    .select({ receiptNumber: eventPaymentReceipts.receiptNumber })
    .from(eventPaymentReceipts)
    .where(eq(eventPaymentReceipts.paymentId, paymentId))
    .limit(1);
  return row?.receiptNumber;
}

/**
 * A receipt with its payment's current totals, visible only to its buyer or to a member (any
 * role) of the payment's organization — the access rule lives in the query, so every other viewer
 * gets exactly what a missing receipt gives: nothing.
 */
export async function findReceiptForViewer(db: Executor, paymentId: string, viewerUserId: string) {
  const [row] = await db
    .select({
      receipt: eventPaymentReceipts,
      payment: {
        id: eventPayments.id,
        status: eventPayments.status,
        amountTotal: eventPayments.amountTotal,
        amountRefunded: eventPayments.amountRefunded,
        currency: eventPayments.currency,
        disputedAt: eventPayments.disputedAt,
      },
    })
    .from(eventPaymentReceipts)
    .innerJoin(eventPayments, eq(eventPayments.id, eventPaymentReceipts.paymentId))
    .where(
      and(
        eq(eventPaymentReceipts.paymentId, paymentId),
        or(
          eq(eventPayments.userId, viewerUserId),
          sql`exists (select 1 from ${memberships} where ${memberships.organizationId} = ${eventPayments.organizationId} and ${memberships.userId} = ${viewerUserId})`,
        ),
      ),
    )
    .limit(1);
  return row;
}

/** Refunds shown on a receipt (the organization id keeps the read inside the receipt's tenant). */
export async function listRefundsForReceipt(db: Executor, organizationId: string, paymentId: string) {
  return db
    .select({
      id: refunds.id,
      amount: refunds.amount,
      currency: refunds.currency,
      status: refunds.status,
      createdAt: refunds.createdAt,
    })
    .from(refunds)
    .where(and(eq(refunds.organizationId, organizationId), eq(refunds.paymentId, paymentId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
}
