import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * Places left on a ticket type at `now`: capacity − issued tickets still holding a place − places
 * held by live holds (pending payments whose hold has neither expired nor lapsed). Both are kept by
 * triggers in `ticket_type_places` (migrations 0006, 0007); the held places of holds already past
 * their expiry (not yet marked lapsed by the next hold) are added back here, so expired holds stop
 * counting by themselves and no background job has to release them. Used for display and checks;
 * the hold itself counts the same way inside `place_hold` (latest: drizzle/0008_place_hold_keyed_by_buyer.sql)
 * under its row lock — the availability tests compare the two.
 *
 * Written with explicit table-qualified names on purpose: Drizzle renders a column without its
 * table in single-table selects, and an unqualified `id` inside these subqueries would bind to the
 * subquery's own table — every count would be zero and the event would oversell.
 */
export function availableExpression(now: Date): SQL<number> {
  return sql<number>`("ticket_types"."capacity"
    - (select coalesce(sum("places"."taken" + "places"."held"), 0) from "ticket_type_places" as "places"
        where "places"."ticket_type_id" = "ticket_types"."id")
    + (select coalesce(sum("hold"."quantity"), 0) from "event_payments" as "hold"
        where "hold"."ticket_type_id" = "ticket_types"."id"
          and "hold"."status" = 'pending'
          and not "hold"."hold_lapsed"
          and "hold"."hold_expires_at" <= ${now.toISOString()}::timestamptz))::int`;
}
