import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getDb, type Database } from "@/db/client";
import type { HoldRequest } from "@/db/queries/holds";
import * as schema from "@/db/schema";
import { eventPayments, tickets, type TicketType } from "@/db/schema";
import { insertPayment } from "../../factories/payment-row";

export const onPostgres = () => process.env.DATABASE_URL?.startsWith("postgres") ?? false;

/**
 * A database handle with its own pool, so concurrent calls really run on many connections at once
 * (the app's pool is small). PGlite has one connection whatever we do: the app's handle.
 */
export async function pooledDb(max: number): Promise<{ db: Database; close: () => Promise<void> }> {
  if (!onPostgres()) return { db: await getDb(), close: async () => {} };
  const client = postgres(process.env.DATABASE_URL!, { max, onnotice: () => {} });
  return { db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }) };
}

export function holdRequest(type: Pick<TicketType, "id" | "eventId">, userId: string, overrides: Partial<HoldRequest> = {}): HoldRequest {
  const now = overrides.now ?? new Date();
  return {
    eventId: type.eventId,
    ticketTypeId: type.id,
    userId,
    quantity: 1,
    requestKey: null,
    now,
    holdExpiresAt: new Date(now.getTime() + 35 * 60_000),
    maxOpenCheckouts: 2,
    ...overrides,
  };
}

/** Issued tickets for a succeeded payment, as fulfilment would write them. */
export async function issueTickets(type: TicketType, userId: string, count: number, placeReleased = false) {
  const payment = await insertPayment(type, userId, { status: "succeeded", quantity: count, paidAt: new Date() });
  await (await getDb()).insert(tickets).values(
    Array.from({ length: count }, () => ({
      paymentId: payment.id,
      eventId: type.eventId,
      ticketTypeId: type.id,
      organizationId: type.organizationId,
      ownerUserId: userId,
      code: randomUUID(),
      placeReleased,
      status: placeReleased ? ("void" as const) : ("valid" as const),
    })),
  );
  return payment;
}

/** Many buyers at once, inserted in one statement (no password: they never sign in). */
export async function createBuyers(count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, () => ({ id: randomUUID(), email: `buyer-${randomUUID()}@test.example`, name: "Buyer" }));
  await (await getDb()).insert(schema.users).values(rows);
  return rows.map((r) => r.id);
}

/** Places held right now on a ticket type: quantities of pending payments whose hold has not expired. */
export async function heldQuantity(ticketTypeId: string, now = new Date()): Promise<number> {
  const rows = await (await getDb()).select().from(eventPayments).where(eq(eventPayments.ticketTypeId, ticketTypeId));
  return rows.filter((p) => p.status === "pending" && p.holdExpiresAt > now).reduce((sum, p) => sum + p.quantity, 0);
}
