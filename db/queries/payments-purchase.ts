import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { runStatement } from "../raw";
import { perTurnBatches } from "../turn-batch";
import { eventPayments, events, ticketTypes, users } from "../schema";

/** What a Checkout Session is built from: only database values, never what the browser sent. */
export async function findPaymentForCheckout(db: Executor, paymentId: string) {
  const [row] = await db
    .select({
      id: eventPayments.id,
      organizationId: eventPayments.organizationId,
      eventId: eventPayments.eventId,
      quantity: eventPayments.quantity,
      unitAmount: eventPayments.unitAmount,
      currency: eventPayments.currency,
      status: eventPayments.status,
      createdAt: eventPayments.createdAt,
      stripeCheckoutSessionId: eventPayments.stripeCheckoutSessionId,
      stripeCheckoutUrl: eventPayments.stripeCheckoutUrl,
      eventTitle: events.title,
      ticketTypeName: ticketTypes.name,
      email: users.email,
    })
    .from(eventPayments)
    .innerJoin(events, eq(events.id, eventPayments.eventId))
    .innerJoin(ticketTypes, eq(ticketTypes.id, eventPayments.ticketTypeId))
    .innerJoin(users, eq(users.id, eventPayments.userId))
    .where(eq(eventPayments.id, paymentId))
    .limit(1);
  return row;
}

/**
 * Stores the session on the payment; a concurrent replay that got the same session is a no-op.
 * Resolves once the row is committed (synchronously: this commit also makes the hold durable).
 *
 * Purchases whose Stripe calls come back in the same turn of the event loop are stored together:
 * one statement, one round trip and one commit for all of them, instead of one each — under load
 * that round trip was a large share of a purchase's CPU. Each caller still waits for its own row.
 */
export function attachCheckoutSession(db: Database, paymentId: string, sessionId: string, url: string): Promise<void> {
  return attachInBatch(db, { id: paymentId, session_id: sessionId, url });
}

const attachInBatch = perTurnBatches<Database, { id: string; session_id: string; url: string }, void>((db, batch) => {
  runStatement(db, attachSessionsStatement, [JSON.stringify(batch.map((w) => w.item))]).then(
    () => batch.forEach((w) => w.resolve()),
    (error: unknown) => batch.forEach((w) => w.reject(error)),
  );
});

// attach_checkout_sessions (migration 0005): the update, planned without sequential scans.
const attachSessionsStatement = `select attach_checkout_sessions($1::json)`;

/**
 * Stripe refused or could not be reached: the payment fails and its hold is released at once (a
 * failed payment no longer counts). The request key is cleared so the buyer's retry can hold again.
 * Only a payment still waiting for its session is touched.
 */
export async function failPaymentBeforeCheckout(db: Executor, paymentId: string, reason: string) {
  await db
    .update(eventPayments)
    .set({ status: "failed", failureReason: reason.slice(0, 500), requestKey: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(eventPayments.id, paymentId),
        eq(eventPayments.status, "pending"),
        isNull(eventPayments.stripeCheckoutSessionId),
      ),
    );
}

/** The buyer's own payment by its session id or its id, for /checkout/cancel. */
export async function findBuyerPayment(db: Executor, userId: string, by: { sessionId: string } | { paymentId: string }) {
  const match =
    "sessionId" in by ? eq(eventPayments.stripeCheckoutSessionId, by.sessionId) : eq(eventPayments.id, by.paymentId);
  const [row] = await db
    .select({
      id: eventPayments.id,
      status: eventPayments.status,
      processingAt: eventPayments.processingAt,
      quantity: eventPayments.quantity,
      ticketTypeId: eventPayments.ticketTypeId,
      stripeCheckoutSessionId: eventPayments.stripeCheckoutSessionId,
      eventSlug: events.slug,
    })
    .from(eventPayments)
    .innerJoin(events, eq(events.id, eventPayments.eventId))
    .where(and(match, eq(eventPayments.userId, userId)))
    .limit(1);
  return row;
}

/**
 * The buyer cancelled and Stripe confirmed the session expired: release the hold now rather than
 * when the `checkout.session.expired` event arrives. Never touches a paid or processing payment.
 */
export async function expirePendingPayment(db: Executor, paymentId: string) {
  await db
    .update(eventPayments)
    .set({ status: "expired", updatedAt: sql`now()` })
    .where(
      and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending"), isNull(eventPayments.processingAt)),
    );
}
