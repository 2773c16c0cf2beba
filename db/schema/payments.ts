import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { events, ticketTypes } from "./events";
import { organizations } from "./organizations";

export const paymentStatus = pgEnum("payment_status", [
  "pending",
  "succeeded",
  "failed",
  "expired",
  "refunded",
  "partially_refunded",
]);

export const eventPayments = pgTable(
  "event_payments",
  {
    // The first 8 characters of the id are the receipt number's last part (RCP-YYYY-MMDD-XXXXXXXX),
    // so they are unique among payments (event_payments_id_prefix_idx, migration 0009). The default
    // draws random ids until it finds a free prefix; place_hold, the purchase hot path, draws its own
    // with ON CONFLICT on that index instead (race-free, no subtransaction).
    id: uuid("id").primaryKey().default(sql`new_event_payment_id()`),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    ticketTypeId: uuid("ticket_type_id")
      .notNull()
      .references(() => ticketTypes.id, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    amountTotal: integer("amount_total").notNull(),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    currency: text("currency").notNull(),
    status: paymentStatus("status").notNull().default("pending"),
    // The buyer's form submission token: a double click or a resubmitted form finds the same payment.
    requestKey: text("request_key"),
    stripeCheckoutSessionId: text("stripe_checkout_session_id"),
    stripeCheckoutUrl: text("stripe_checkout_url"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    // A pending payment counts against capacity until this instant; after it, the hold is void by itself.
    holdExpiresAt: timestamp("hold_expires_at", { withTimezone: true }).notNull(),
    // The hold expired and its places were given back (set lazily, by the next hold on the ticket
    // type, under its lock). From then on the places are not this payment's, whatever the clock says.
    holdLapsed: boolean("hold_lapsed").notNull().default(false),
    // Set when Checkout completed with a delayed method (bank debit) that has not settled yet.
    processingAt: timestamp("processing_at", { withTimezone: true }),
    failureReason: text("failure_reason"),
    // Set when Stripe's amount or currency did not match ours: no tickets are issued.
    flaggedAt: timestamp("flagged_at", { withTimezone: true }),
    disputedAt: timestamp("disputed_at", { withTimezone: true }),
    disputeStatus: text("dispute_status"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // No two payments share the first 8 characters of their ids, so no two receipts share a number
    // whatever day they succeed on. Only inserts use it (place_hold's arbiter, the id default's
    // look-up): nothing else reads payments by that expression.
    uniqueIndex("event_payments_id_prefix_idx").on(sql`left(${t.id}::text, 8)`),
    uniqueIndex("event_payments_stripe_checkout_session_id_idx").on(t.stripeCheckoutSessionId),
    uniqueIndex("event_payments_stripe_payment_intent_id_idx").on(t.stripePaymentIntentId),
    uniqueIndex("event_payments_user_id_request_key_idx").on(t.userId, t.requestKey),
    index("event_payments_organization_id_created_at_idx").on(t.organizationId, t.createdAt),
    index("event_payments_event_id_idx").on(t.eventId),
    index("event_payments_user_id_idx").on(t.userId, t.createdAt),
    // A buyer's open checkouts for one event, counted by every purchase (the two-open-checkouts rule).
    // The predicate names processing_at on purpose: the availability count (pending, any processing
    // state) does not imply it, so the planner can never use this index to scan every pending
    // payment for that count. With only `status = 'pending'` it did: a generic plan cached while
    // the table was empty scanned all pending payments of all events on every purchase.
    index("event_payments_open_checkouts_idx")
      .on(t.userId, t.eventId)
      .where(sql`${t.status} = 'pending' and ${t.processingAt} is null`),
    // The holds whose places are counted in ticket_type_places.held, by expiry: the next hold on a
    // ticket type finds the expired ones here (a few at most) to give their places back. A query
    // whose WHERE implies the predicate and bounds hold_expires_at can use it without a ticket type;
    // a generic plan made on an empty table then walks every open hold (migration 0008). Lookups by
    // buyer keep those conditions out of WHERE.
    index("event_payments_active_holds_idx")
      .on(t.ticketTypeId, t.holdExpiresAt)
      .where(sql`${t.status} = 'pending' and not ${t.holdLapsed}`),
    check("event_payments_quantity_positive", sql`${t.quantity} > 0`),
    check("event_payments_unit_amount_nonnegative", sql`${t.unitAmount} >= 0`),
    check("event_payments_amount_total_nonnegative", sql`${t.amountTotal} >= 0`),
    check("event_payments_amount_refunded_nonnegative", sql`${t.amountRefunded} >= 0`),
    check("event_payments_refund_within_total", sql`${t.amountRefunded} <= ${t.amountTotal}`),
    check("event_payments_currency_format", sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);

export type EventPayment = typeof eventPayments.$inferSelect;
export type PaymentStatus = (typeof paymentStatus.enumValues)[number];
