import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import {
  events,
  memberships,
  organizations,
  ticketTypes,
  users,
  type Event,
  type MembershipRole,
  type Organization,
  type TicketType,
  type User,
} from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

// Factories build real rows with unique names, so test files can share one database and run in parallel.
const unique = () => randomUUID().slice(0, 8);
export const testPassword = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  passwordHash ??= hashPassword(testPassword);
  const [user] = await (await getDb())
    .insert(users)
    .values({ email: `user-${unique()}@test.example`, name: "Test User", passwordHash: await passwordHash, ...overrides })
    .returning();
  return user!;
}

export async function createOrganization(overrides: Partial<typeof organizations.$inferInsert> = {}): Promise<Organization> {
  const id = unique();
  const [org] = await (await getDb())
    .insert(organizations)
    .values({ name: `Org ${id}`, slug: `org-${id}`, ...overrides })
    .returning();
  return org!;
}

export async function addMember(organizationId: string, userId: string, role: MembershipRole = "owner") {
  await (await getDb()).insert(memberships).values({ organizationId, userId, role });
}

export async function createEvent(
  organizationId: string,
  overrides: Partial<typeof events.$inferInsert> = {},
): Promise<Event> {
  const id = unique();
  const startsAt = new Date(Date.now() + 14 * 24 * 3600_000);
  const [event] = await (await getDb())
    .insert(events)
    .values({
      organizationId,
      slug: `event-${id}`,
      title: `Event ${id}`,
      venue: "Test Hall",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * 3600_000),
      timeZone: "Europe/Berlin",
      currency: "eur",
      status: "published",
      ...overrides,
    })
    .returning();
  return event!;
}

export async function createTicketType(
  event: Pick<Event, "id" | "organizationId" | "currency">,
  overrides: Partial<typeof ticketTypes.$inferInsert> = {},
): Promise<TicketType> {
  const [ticketType] = await (await getDb())
    .insert(ticketTypes)
    .values({
      eventId: event.id,
      organizationId: event.organizationId,
      name: `General ${unique()}`,
      price: 2500,
      currency: event.currency,
      capacity: 100,
      maxPerOrder: 10,
      ...overrides,
    })
    .returning();
  return ticketType!;
}

/** An organization with an owner, a published event and one ticket type: the usual starting point. */
export async function createSellingEvent(
  options: { event?: Partial<typeof events.$inferInsert>; ticketType?: Partial<typeof ticketTypes.$inferInsert> } = {},
) {
  const organization = await createOrganization();
  const owner = await createUser({ name: "Owner" });
  await addMember(organization.id, owner.id, "owner");
  const event = await createEvent(organization.id, options.event);
  const ticketType = await createTicketType(event, options.ticketType);
  return { organization, owner, event, ticketType };
}
