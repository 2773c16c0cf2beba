import { getDb } from "@/db/client";
import { eventPayments, type TicketType } from "@/db/schema";

// Free of vitest: the second app process of the concurrency test (support/purchase-hold-worker.ts)
// loads this through support/purchase.ts.

/** A payment row as another part of the app would leave it (pending by default; succeeded, expired, processing…). */
export async function insertPayment(
  type: TicketType,
  userId: string,
  overrides: Partial<typeof eventPayments.$inferInsert> = {},
) {
  const quantity = overrides.quantity ?? 1;
  const [payment] = await (await getDb())
    .insert(eventPayments)
    .values({
      organizationId: type.organizationId,
      eventId: type.eventId,
      userId,
      ticketTypeId: type.id,
      quantity,
      unitAmount: type.price,
      amountTotal: type.price * quantity,
      currency: type.currency,
      holdExpiresAt: new Date(Date.now() + 35 * 60_000),
      ...overrides,
    })
    .returning();
  return payment!;
}
