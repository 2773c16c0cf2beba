import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const eventStatus = pgEnum("event_status", ["draft", "published", "cancelled"]);

export const events = pgTable(
  "events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // Unique per organization as the contract says, and also across organizations because the
    // public URL is /events/{slug} (decision recorded in the README).
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    venue: text("venue").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    timeZone: text("time_zone").notNull(),
    // ISO 4217, lower-case as Stripe uses it.
    currency: text("currency").notNull(),
    status: eventStatus("status").notNull().default("draft"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("events_organization_id_slug_idx").on(t.organizationId, t.slug),
    uniqueIndex("events_slug_idx").on(t.slug),
    index("events_status_starts_at_idx").on(t.status, t.startsAt),
    check("events_ends_after_start", sql`${t.endsAt} >= ${t.startsAt}`),
    check("events_currency_format", sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);

export const ticketTypes = pgTable(
  "ticket_types",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // Integer minor units of `currency` (JPY has none: 5000 means ¥5,000).
    price: integer("price").notNull(),
    currency: text("currency").notNull(),
    capacity: integer("capacity").notNull(),
    maxPerOrder: integer("max_per_order").notNull().default(10),
    salesStartAt: timestamp("sales_start_at", { withTimezone: true }),
    salesEndAt: timestamp("sales_end_at", { withTimezone: true }),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Names are matched case-insensitively by the purchase API ("vip" buys "VIP"), so they must be
    // unique that way too.
    uniqueIndex("ticket_types_event_id_name_lower_idx").on(t.eventId, sql`lower(${t.name})`),
    index("ticket_types_organization_id_idx").on(t.organizationId),
    check("ticket_types_price_nonnegative", sql`${t.price} >= 0`),
    check("ticket_types_capacity_nonnegative", sql`${t.capacity} >= 0`),
    check("ticket_types_max_per_order_positive", sql`${t.maxPerOrder} > 0`),
    check("ticket_types_currency_format", sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);

export type Event = typeof events.$inferSelect;
export type EventStatus = (typeof eventStatus.enumValues)[number];
export type TicketType = typeof ticketTypes.$inferSelect;
