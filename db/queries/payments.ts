import "server-only";
import { and, eq, getTableColumns, lte, sql, type SQL } from "drizzle-orm";
import type { Executor, Transaction } from "../client";
import { eventPayments, events, organizations, ticketTypes, users, type EventPayment } from "../schema";
import { compileSelection, runStatement } from "../raw";
import { availableExpression } from "./availability";

/**
 * Locks one payment row for the rest of the transaction. Every writer that changes a payment's
 * status or amounts (fulfilment, webhooks, refunds) takes this lock first, so they serialize per
 * payment and never interleave their read-then-write.
 */
export async function lockPayment(tx: Transaction, paymentId: string) {
  const [payment] = await tx.select().from(eventPayments).where(eq(eventPayments.id, paymentId)).for("update");
  return payment;
}

/** `lockPayment` for an organizer's write: another organization's payment is simply not found. */
export async function lockPaymentOfOrganization(tx: Transaction, organizationId: string, paymentId: string) {
  const [payment] = await tx
    .select()
    .from(eventPayments)
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.organizationId, organizationId)))
    .for("update");
  return payment;
}

/** At most one payment matches: each finder below looks it up by a unique column. */
async function findPaymentWhere(db: Executor, where: SQL) {
  const [payment] = await db.select().from(eventPayments).where(where).limit(1);
  return payment;
}

export function findPaymentByPaymentIntent(db: Executor, paymentIntentId: string) {
  return findPaymentWhere(db, eq(eventPayments.stripePaymentIntentId, paymentIntentId));
}

export function findPaymentById(db: Executor, paymentId: string) {
  return findPaymentWhere(db, eq(eventPayments.id, paymentId));
}

export function findPaymentByCheckoutSession(db: Executor, checkoutSessionId: string) {
  return findPaymentWhere(db, eq(eventPayments.stripeCheckoutSessionId, checkoutSessionId));
}

const fulfilmentSelection = compileSelection({
  payment: getTableColumns(eventPayments),
  organization: { id: organizations.id, name: organizations.name },
  event: {
    id: events.id,
    title: events.title,
    startsAt: events.startsAt,
    venue: events.venue,
    timeZone: events.timeZone,
    slug: events.slug,
  },
  ticketType: { id: ticketTypes.id, name: ticketTypes.name },
  buyer: { id: users.id, email: users.email, name: users.name },
});
const forFulfilment = (match: string, lock: string) => `
  select ${fulfilmentSelection.list}
  from "event_payments"
  join "organizations" on "organizations"."id" = "event_payments"."organization_id"
  join "events" on "events"."id" = "event_payments"."event_id"
  join "ticket_types" on "ticket_types"."id" = "event_payments"."ticket_type_id"
  join "users" on "users"."id" = "event_payments"."user_id"
  where ${match}
  ${lock}`;
const bySession = `"event_payments"."stripe_checkout_session_id" = $1`;
const byId = `"event_payments"."id" = $1::uuid`;
const lockIt = `for update of "event_payments"`;
const fulfilmentStatements = {
  locked: { bySession: forFulfilment(bySession, lockIt), byId: forFulfilment(byId, lockIt) },
  unlocked: { bySession: forFulfilment(bySession, ""), byId: forFulfilment(byId, "") },
};

/**
 * The payment together with everything its receipt snapshot needs, in one round trip — locked
 * (the lock covers only the payment row) unless `lock` is false. Found by its Checkout Session id —
 * or, before the purchase service stored that id, by the payment id the session carries. A fixed
 * statement (see runStatement): every paid checkout runs it.
 */
export async function findPaymentForFulfilment(
  db: Executor,
  by: { checkoutSessionId: string } | { paymentId: string },
  { lock }: { lock: boolean },
) {
  const statements = lock ? fulfilmentStatements.locked : fulfilmentStatements.unlocked;
  const [row] =
    "checkoutSessionId" in by
      ? await runStatement(db, statements.bySession, [by.checkoutSessionId])
      : await runStatement(db, statements.byId, [by.paymentId]);
  return row ? fulfilmentSelection.read(row) : undefined;
}

/**
 * A paid payment: `succeeded` with when and through which PaymentIntent. The failure reason is
 * cleared, or set when the payment is kept only to be refunded (sold out while paying).
 */
export async function markPaymentPaid(
  tx: Transaction,
  paymentId: string,
  paid: { paidAt: Date; paymentIntentId: string | null; failureReason: string | null },
) {
  await runStatement(tx, markPaid, [paymentId, paid.paidAt.toISOString(), paid.paymentIntentId, paid.failureReason]);
}
const markPaid = `
  update "event_payments"
  set "status" = 'succeeded', "paid_at" = $2::timestamptz, "stripe_payment_intent_id" = $3,
      "failure_reason" = $4, "updated_at" = now()
  where "id" = $1::uuid`;

export type PaymentForFulfilment = NonNullable<Awaited<ReturnType<typeof findPaymentForFulfilment>>>;

/**
 * Locks a ticket type and returns the places left at `now` (this payment's own hold no longer
 * counts once it has lapsed). Taken before the payment lock: the purchase service locks the ticket
 * type first too, so the two never wait on each other in opposite orders. NO KEY UPDATE, as in the
 * purchase hold: a ticket insert's foreign key check (KEY SHARE) is not blocked by it, so a payment
 * being fulfilled while holding its own lock never waits for a ticket type locker that waits for it.
 *
 * Holds that have expired by `now` are marked lapsed under the lock before counting, as `place_hold`
 * does. The count gives their places to whoever locked, and the flag is what tells those holds' own
 * fulfilments. One of them may have decided a moment ago, while its hold was live, and be about to
 * write; the write re-checks the flag and re-counts instead of issuing the same places twice.
 */
export async function lockTicketTypeAvailability(tx: Transaction, ticketTypeId: string, now: Date) {
  const [locked] = await tx
    .select({ id: ticketTypes.id })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId))
    .for("no key update");
  if (!locked) return 0;
  await tx
    .update(eventPayments)
    .set({ holdLapsed: true })
    .where(
      and(
        eq(eventPayments.ticketTypeId, ticketTypeId),
        eq(eventPayments.status, "pending"),
        eq(eventPayments.holdLapsed, false),
        lte(eventPayments.holdExpiresAt, now),
      ),
    );
  const [row] = await tx
    .select({ available: availableExpression(now) })
    .from(ticketTypes)
    .where(eq(ticketTypes.id, ticketTypeId));
  return Number(row?.available ?? 0);
}

export type PaymentUpdate = Partial<
  Pick<
    EventPayment,
    | "status"
    | "paidAt"
    | "stripePaymentIntentId"
    | "processingAt"
    | "failureReason"
    | "flaggedAt"
    | "disputedAt"
    | "disputeStatus"
  >
>;

export async function updatePayment(tx: Transaction, paymentId: string, values: PaymentUpdate) {
  await tx
    .update(eventPayments)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(eventPayments.id, paymentId));
}

/** Moves a payment that is still pending to a final state; a paid payment is never touched. */
export async function closePendingPayment(
  tx: Transaction,
  paymentId: string,
  status: "failed" | "expired",
  failureReason?: string,
) {
  const rows = await tx
    .update(eventPayments)
    .set({ status, updatedAt: new Date(), ...(failureReason ? { failureReason } : {}) })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")))
    .returning({ id: eventPayments.id });
  return rows.length > 0;
}

/** Records why a card was declined while the session stays open for another try. */
export async function recordPaymentFailureReason(tx: Transaction, paymentId: string, reason: string) {
  await tx
    .update(eventPayments)
    .set({ failureReason: reason, updatedAt: new Date() })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")));
}

/** A completed Checkout whose delayed method (bank debit) has not settled yet. */
export async function markPaymentProcessing(tx: Transaction, paymentId: string, paymentIntentId: string | null) {
  await tx
    .update(eventPayments)
    .set({
      processingAt: sql`coalesce(${eventPayments.processingAt}, now())`,
      ...(paymentIntentId ? { stripePaymentIntentId: paymentIntentId } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(eventPayments.id, paymentId), eq(eventPayments.status, "pending")));
}

/** Title and slug of a payment's event, for the buyer's pages (scoped by the payment's organization). */
export async function findEventSummary(db: Executor, organizationId: string, eventId: string) {
  const [row] = await db
    .select({ title: events.title, slug: events.slug })
    .from(events)
    .where(and(eq(events.organizationId, organizationId), eq(events.id, eventId)))
    .limit(1);
  return row;
}
