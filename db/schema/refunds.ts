import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./organizations";
import { eventPayments } from "./payments";

export const refundStatus = pgEnum("refund_status", ["pending", "succeeded", "failed", "canceled", "requires_action"]);

export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => eventPayments.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // Null only while the row is pending and Stripe has not answered yet.
    stripeRefundId: text("stripe_refund_id"),
    // The n-th refund of this payment; with the payment id it forms the Stripe idempotency key
    // refund:{paymentId}:{n}, so a retry after a crash can never create a second refund.
    sequence: integer("sequence"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: refundStatus("status").notNull().default("pending"),
    // Stripe's reason (requested_by_customer | duplicate | fraudulent) and the organizer's note.
    reason: text("reason"),
    note: text("note"),
    ticketIds: uuid("ticket_ids").array().notNull().default(sql`'{}'::uuid[]`),
    releasePlaces: boolean("release_places").notNull().default(true),
    // Refunds made outside boxoffice (Stripe's dashboard) arrive only through webhooks.
    external: boolean("external").notNull().default(false),
    failureReason: text("failure_reason"),
    // The caller's idempotency key ("api:…" from the Idempotency-Key header, "form:…" from the
    // confirm step's token): the same key on the same payment answers with this refund again.
    requestKey: text("request_key"),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("refunds_stripe_refund_id_idx").on(t.stripeRefundId),
    uniqueIndex("refunds_payment_id_sequence_idx").on(t.paymentId, t.sequence),
    // One refund per request key and payment, decided by the database: requests are serialized by
    // the payment's row lock, and this is what holds should anything ever insert outside it.
    // Refunds without a key (null) never conflict.
    uniqueIndex("refunds_payment_id_request_key_idx").on(t.paymentId, t.requestKey),
    index("refunds_organization_id_idx").on(t.organizationId),
    index("refunds_payment_id_idx").on(t.paymentId),
    check("refunds_amount_positive", sql`${t.amount} > 0`),
  ],
);

export type Refund = typeof refunds.$inferSelect;
export type RefundStatus = (typeof refundStatus.enumValues)[number];
