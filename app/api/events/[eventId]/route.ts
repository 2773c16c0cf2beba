// GET /api/events/:eventId – one published event with its ticket types
import { json, route } from "@/lib/http/respond";
import { getPublicEventById, toEventJson } from "@/lib/events/catalogue";

export const GET = route(async (_request: Request, { params }: RouteContext<"/api/events/[eventId]">) =>
  json(toEventJson(await getPublicEventById((await params).eventId))),
);
