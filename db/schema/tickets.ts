import { index, boolean, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { events, ticketTypes } from "./events";
import { organizations } from "./organizations";
import { eventPayments } from "./payments";

export const ticketStatus = pgEnum("ticket_status", ["valid", "void", "suspended"]);

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => eventPayments.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    ticketTypeId: uuid("ticket_type_id")
      .notNull()
      .references(() => ticketTypes.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    // Unguessable (128 random bits); what a door scanner would read.
    code: text("code").notNull().unique("tickets_code_unique"),
    status: ticketStatus("status").notNull().default("valid"),
    // A voided ticket whose place went back on sale no longer counts against capacity.
    placeReleased: boolean("place_released").notNull().default(false),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
  },
  (t) => [
    index("tickets_payment_id_idx").on(t.paymentId),
    index("tickets_ticket_type_id_idx").on(t.ticketTypeId, t.placeReleased),
    index("tickets_owner_user_id_idx").on(t.ownerUserId),
    index("tickets_organization_id_idx").on(t.organizationId),
    index("tickets_event_id_idx").on(t.eventId),
  ],
);

export type Ticket = typeof tickets.$inferSelect;

/**
 * How many issued tickets hold a place (not `place_released`), per ticket type — kept by triggers on
 * `tickets` (migration 0006) — and how many places pending payments hold (`held`, triggers on
 * `event_payments`, migration 0007), so a hold reads a handful of rows instead of counting every
 * ticket ever sold and every open checkout under the ticket type's lock. Split into slots: a writer
 * that issues or releases places adds to the slot of its own connection (pid mod 8), so concurrent
 * fulfilments of one ticket type rarely wait on the same row; new holds add to slot 8, written only
 * under the ticket type's lock. Each count is the sum of a type's slots.
 */
export const ticketTypePlaces = pgTable(
  "ticket_type_places",
  {
    ticketTypeId: uuid("ticket_type_id")
      .notNull()
      .references(() => ticketTypes.id, { onDelete: "cascade" }),
    slot: smallint("slot").notNull(),
    taken: integer("taken").notNull().default(0),
    /** Places held by pending payments whose hold has not lapsed (triggers on event_payments, migration 0007). */
    held: integer("held").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ticketTypeId, t.slot] })],
);
export type TicketStatus = (typeof ticketStatus.enumValues)[number];
