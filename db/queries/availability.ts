import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { eventPayments, ticketTypes, tickets } from "../schema";

/**
 * Places left on a ticket type at `now`: capacity − issued tickets still holding a place − live
 * holds (pending payments whose hold has not expired). Expired holds simply stop counting, so no
 * background job has to release them. Used for display and, under a row lock, for the hold itself.
 */
export function availableExpression(now: Date): SQL<number> {
  return sql<number>`(${ticketTypes.capacity}
    - (select count(*) from ${tickets}
        where ${tickets.ticketTypeId} = ${ticketTypes.id} and not ${tickets.placeReleased})
    - (select coalesce(sum(${eventPayments.quantity}), 0) from ${eventPayments}
        where ${eventPayments.ticketTypeId} = ${ticketTypes.id}
          and ${eventPayments.status} = 'pending'
          and ${eventPayments.holdExpiresAt} > ${now.toISOString()}::timestamptz))::int`;
}
