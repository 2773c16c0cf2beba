import "server-only";
import { eq } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { runStatement } from "../raw";
import { stripeEvents } from "../schema";

/** A verified event and the exact body it arrived in. */
export interface StripeEventToRecord {
  event: { id: string; type: string; created: number };
  rawBody: string;
}

export async function stripeEventSeen(db: Executor, eventId: string): Promise<boolean> {
  const rows = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, eventId)).limit(1);
  return rows.length > 0;
}

/**
 * Records a verified event; false when it was already recorded (a redelivery). Runs in the
 * transaction that applies the event, so recording and effect commit or roll back together. The
 * payload is stored from the verified raw body (Postgres parses it) instead of re-serialising it.
 */
export async function recordStripeEvent(
  tx: Transaction,
  { event, rawBody }: StripeEventToRecord,
  paymentId: string | null,
): Promise<boolean> {
  const rows = await runStatement(tx, insertEvent, [
    event.id,
    event.type,
    paymentId,
    new Date(event.created * 1000).toISOString(),
    rawBody,
  ]);
  return rows.length > 0;
}
// A fixed statement (see runStatement): every webhook delivery runs it.
const insertEvent = `
  insert into "stripe_events" ("id", "type", "payment_id", "stripe_created_at", "processed_at", "payload")
  values ($1, $2, $3::uuid, $4::timestamptz, now(), $5::jsonb)
  on conflict ("id") do nothing
  returning "id"`;

export async function listStripeEventsOfPayment(db: Executor, paymentId: string) {
  return db
    .select({ id: stripeEvents.id, type: stripeEvents.type, stripeCreatedAt: stripeEvents.stripeCreatedAt })
    .from(stripeEvents)
    .where(eq(stripeEvents.paymentId, paymentId))
    .orderBy(stripeEvents.stripeCreatedAt, stripeEvents.id);
}
