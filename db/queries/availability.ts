import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * Places left on a ticket type at `now`: capacity − issued tickets still holding a place (kept
 * by triggers in `ticket_type_places`, migration 0006) − live holds (pending payments whose hold
 * has not expired). Expired holds simply stop counting, so no background job has to release them.
 * Used for display and checks; the hold itself counts the same way inside `place_hold`
 * (drizzle/0006_places_taken_counter.sql) under its row lock — the availability tests compare the two.
 *
 * Written with explicit table-qualified names on purpose: Drizzle renders a column without its
 * table in single-table selects, and an unqualified `id` inside these subqueries would bind to the
 * subquery's own table — every count would be zero and the event would oversell.
 */
export function availableExpression(now: Date): SQL<number> {
  return sql<number>`("ticket_types"."capacity"
    - (select coalesce(sum("taken"."taken"), 0) from "ticket_type_places" as "taken"
        where "taken"."ticket_type_id" = "ticket_types"."id")
    - (select coalesce(sum("hold"."quantity"), 0) from "event_payments" as "hold"
        where "hold"."ticket_type_id" = "ticket_types"."id"
          and "hold"."status" = 'pending'
          and "hold"."hold_expires_at" > ${now.toISOString()}::timestamptz))::int`;
}
