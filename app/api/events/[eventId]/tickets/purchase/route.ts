// POST /api/events/:eventId/tickets/purchase – hold tickets and open a Stripe Checkout session
import { z } from "zod";
import { requireUser } from "@/lib/auth/guards";
import { json, parseJson, route } from "@/lib/http/respond";
import { purchaseTickets } from "@/lib/purchase/purchase-tickets";
import { purchaseRequestKey } from "@/lib/purchase/request-key";

// Unknown fields (a price, an amount) are dropped: the session is built from the database only.
const body = z
  .object({
    ticketType: z.string().trim().min(1).max(200).optional(),
    ticketTypeId: z.string().trim().min(1).max(100).optional(),
    quantity: z.number({ error: "must be a whole number" }).int("must be a whole number"),
  })
  .refine((b) => (b.ticketType === undefined) !== (b.ticketTypeId === undefined), {
    message: "send either ticketType (its name) or ticketTypeId",
    path: ["ticketType"],
  });

export const POST = route(async (request: Request, { params }: RouteContext<"/api/events/[eventId]/tickets/purchase">) => {
  const user = await requireUser();
  const input = await parseJson(request, body);
  const result = await purchaseTickets({
    user,
    eventId: (await params).eventId,
    ticket: input.ticketTypeId !== undefined ? { id: input.ticketTypeId } : { name: input.ticketType! },
    quantity: input.quantity,
    requestKey: purchaseRequestKey.api(request.headers.get("idempotency-key")),
  });
  const { status: _status, ...payload } = result;
  return json(payload, 201);
});
