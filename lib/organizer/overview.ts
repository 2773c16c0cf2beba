import "server-only";
import { getDb } from "@/db/client";
import { listLatestPayments, summarizeEvents } from "@/db/queries/organizer-overview";

/** The organizer home: each event's sales and money in its own currency, and the latest payments. */
export async function getOrganizerOverview(organizationId: string, latest = 10) {
  const db = await getDb();
  const [events, payments] = await Promise.all([summarizeEvents(db, organizationId), listLatestPayments(db, organizationId, latest)]);
  return { events, latestPayments: payments };
}

export type OrganizerOverview = Awaited<ReturnType<typeof getOrganizerOverview>>;
