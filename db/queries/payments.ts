import "server-only";
import { eq } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { eventPayments } from "../schema";

/**
 * Locks one payment row for the rest of the transaction. Every writer that changes a payment's
 * status or amounts (fulfilment, webhooks, refunds) takes this lock first, so they serialize per
 * payment and never interleave their read-then-write.
 */
export async function lockPayment(tx: Transaction, paymentId: string) {
  const [payment] = await tx.select().from(eventPayments).where(eq(eventPayments.id, paymentId)).for("update");
  return payment;
}

export async function findPaymentByPaymentIntent(db: Executor, paymentIntentId: string) {
  const [payment] = await db
    .select()
    .from(eventPayments)
    .where(eq(eventPayments.stripePaymentIntentId, paymentIntentId))
    .limit(1);
  return payment;
}
