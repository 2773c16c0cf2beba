import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * Places left on a ticket type at `now`: capacity − issued tickets still holding a place − live
 * holds (pending payments whose hold has not expired). Expired holds simply stop counting, so no
 * background job has to release them. Used for display and checks; the hold itself counts the
 * same way inside `place_hold` (drizzle/0004_place_hold_function.sql) under its row lock — the
 * availability tests compare the two.
 *
 * Written with explicit table-qualified names on purpose: Drizzle renders a column without its
 * table in single-table selects, and an unqualified `id` inside these subqueries would bind to the
 * subquery's own table — every count would be zero and the event would oversell.
 */
export function availableExpression(now: Date): SQL<number> {
  return sql<number>`("ticket_types"."capacity"
    - (select count(*) from "tickets" as "held_ticket"
        where "held_ticket"."ticket_type_id" = "ticket_types"."id" and not "held_ticket"."place_released")
    - (select coalesce(sum("hold"."quantity"), 0) from "event_payments" as "hold"
        where "hold"."ticket_type_id" = "ticket_types"."id"
          and "hold"."status" = 'pending'
          and "hold"."hold_expires_at" > ${now.toISOString()}::timestamptz))::int`;
}
