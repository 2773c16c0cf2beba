import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { events } from "./events";
import { organizations } from "./organizations";
import { eventPayments } from "./payments";

/**
 * A receipt is a snapshot taken when the payment succeeds and never rewritten (refunds are read
 * from the refunds table beside it). Its links to rows that may be deleted are SET NULL so the
 * snapshot outlives them.
 */
export const eventPaymentReceipts = pgTable(
  "event_payment_receipts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .unique("event_payment_receipts_payment_id_unique")
      .references(() => eventPayments.id, { onDelete: "set null" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").references(() => events.id, { onDelete: "set null" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    receiptNumber: text("receipt_number").notNull().unique("event_payment_receipts_receipt_number_unique"),
    snapshot: jsonb("snapshot").$type<ReceiptSnapshot>().notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The organizer's receipts page lists newest first per organization with a keyset cursor.
    index("event_payment_receipts_organization_id_issued_at_idx").on(t.organizationId, t.issuedAt, t.id),
    index("event_payment_receipts_event_id_idx").on(t.eventId),
    // The same list filtered by event.
    index("event_payment_receipts_organization_id_event_id_issued_at_idx").on(t.organizationId, t.eventId, t.issuedAt, t.id),
    // Prefix search by receipt number, buyer email and buyer name (pg_trgm is not available on PGlite,
    // so search is by prefix). text_pattern_ops lets a btree answer prefix ranges under any collation.
    index("event_payment_receipts_organization_id_receipt_number_idx").on(
      t.organizationId,
      t.receiptNumber.op("text_pattern_ops"),
    ),
    index("event_payment_receipts_organization_id_buyer_email_idx").on(
      t.organizationId,
      sql`lower(${t.snapshot}->'buyer'->>'email') text_pattern_ops`,
    ),
    index("event_payment_receipts_organization_id_buyer_name_idx").on(
      t.organizationId,
      sql`lower(${t.snapshot}->'buyer'->>'name') text_pattern_ops`,
    ),
    index("event_payment_receipts_user_id_idx").on(t.userId),
  ],
);

export interface ReceiptSnapshot {
  receiptNumber: string;
  paymentId: string;
  organization: { id: string; name: string };
  event: { id: string; title: string; startsAt: string; venue: string; timeZone: string };
  buyer: { id: string; email: string; name: string | null };
  items: { ticketType: string; ticketTypeId: string; quantity: number; unitAmount: number; amount: number }[];
  amountTotal: number;
  currency: string;
  paymentMethod: { type: string; brand: string | null; last4: string | null } | null;
  stripe: { checkoutSessionId: string; paymentIntentId: string | null };
  paidAt: string;
}

export type EventPaymentReceipt = typeof eventPaymentReceipts.$inferSelect;
