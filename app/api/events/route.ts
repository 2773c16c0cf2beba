// GET /api/events – published upcoming events with their ticket types and what is left
import { json, route } from "@/lib/http/respond";
import { listEvents, toEventJson } from "@/lib/events/catalogue";

export const GET = route(async () => json({ events: (await listEvents()).map(toEventJson) }));
