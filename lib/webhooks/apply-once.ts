import "server-only";
import { getDb, type Transaction } from "@/db/client";
import { lockPayment } from "@/db/queries/payments";
import type { EventPayment } from "@/db/schema";
import { recordStripeEvent, type StripeEventToRecord } from "@/db/queries/stripe-events";

/**
 * Records the event and applies its effect in one transaction; a redelivered event finds its row
 * already there and changes nothing. The payment lock is taken before the event row is inserted:
 * that row's foreign key takes a share lock on the payment, and two deliveries each holding one
 * while waiting for the update lock would deadlock.
 */
export async function applyEventOnce(
  record: StripeEventToRecord,
  paymentId: string | null,
  effect?: (tx: Transaction, payment: EventPayment) => Promise<void>,
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const payment = paymentId ? await lockPayment(tx, paymentId) : undefined;
    if (!(await recordStripeEvent(tx, record, payment?.id ?? null))) return false;
    if (effect && payment) await effect(tx, payment);
    return true;
  });
}
