import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { eventPayments } from "./payments";

/**
 * Every verified Stripe event, keyed by Stripe's id: inserting it in the same transaction as its
 * effect is what makes a redelivered event a no-op.
 */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    // The payment it concerns, when it could be linked (for the organizer's timeline).
    paymentId: uuid("payment_id").references(() => eventPayments.id, { onDelete: "set null" }),
    stripeCreatedAt: timestamp("stripe_created_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    payload: jsonb("payload").notNull(),
  },
  (t) => [index("stripe_events_payment_id_idx").on(t.paymentId, t.stripeCreatedAt)],
);

export type StripeEventRecord = typeof stripeEvents.$inferSelect;
