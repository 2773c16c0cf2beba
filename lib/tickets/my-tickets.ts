import "server-only";
import { getDb } from "@/db/client";
import { listTicketsOfOwner, type OwnedTicket } from "@/db/queries/tickets";

export interface EventTickets {
  event: OwnedTicket["event"];
  organizationName: string;
  tickets: OwnedTicket[];
}

/** The signed-in user's tickets grouped by event, soonest event first. */
export async function listMyTicketsByEvent(userId: string): Promise<EventTickets[]> {
  const rows = await listTicketsOfOwner(await getDb(), userId);
  const groups = new Map<string, EventTickets>();
  for (const row of rows) {
    const group = groups.get(row.event.id) ?? { event: row.event, organizationName: row.organizationName, tickets: [] };
    group.tickets.push(row);
    groups.set(row.event.id, group);
  }
  return [...groups.values()];
}
