import { asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "@/db/client";
import {
  eventPaymentReceipts,
  eventPayments,
  events,
  memberships,
  organizations,
  refunds,
  ticketTypes,
  tickets,
  type Event,
  type Organization,
  type TicketType,
  type User,
} from "@/db/schema";
import { AppError } from "@/lib/errors";
import { addMember, createEvent, createOrganization, createTicketType, createUser } from "../factories";

/**
 * Two sealed tenants for "a member of A asking for B's records gets 404 and nothing changes"
 * tests. Each has an owner, an admin and a staff member, a published event with a ticket type
 * and a draft event; `attendee` belongs to no organization.
 */
export interface Tenant {
  organization: Organization;
  owner: User;
  admin: User;
  staff: User;
  event: Event;
  draftEvent: Event;
  ticketType: TicketType;
}

export interface TwoTenants {
  a: Tenant;
  b: Tenant;
  attendee: User;
}

async function createTenant(label: string): Promise<Tenant> {
  const organization = await createOrganization({ name: `Tenant ${label} ${crypto.randomUUID().slice(0, 6)}` });
  const [owner, admin, staff] = await Promise.all(
    (["owner", "admin", "staff"] as const).map((role) => createUser({ name: `${label} ${role}` })),
  );
  await addMember(organization.id, owner!.id, "owner");
  await addMember(organization.id, admin!.id, "admin");
  await addMember(organization.id, staff!.id, "staff");
  const event = await createEvent(organization.id, { title: `${label} published event` });
  const draftEvent = await createEvent(organization.id, { title: `${label} draft event`, status: "draft" });
  const ticketType = await createTicketType(event, { capacity: 1000 });
  return { organization, owner: owner!, admin: admin!, staff: staff!, event, draftEvent, ticketType };
}

export async function createTwoTenants(): Promise<TwoTenants> {
  const [a, b] = [await createTenant("A"), await createTenant("B")];
  return { a, b, attendee: await createUser({ name: "Attendee" }) };
}

/** Every tenant-owned row of one organization, to compare before and after a refused request. */
export async function snapshotOrganization(organizationId: string) {
  const db = await getDb();
  return {
    organization: await db.select().from(organizations).where(eq(organizations.id, organizationId)),
    memberships: await db.select().from(memberships).where(eq(memberships.organizationId, organizationId)).orderBy(asc(memberships.userId)),
    events: await db.select().from(events).where(eq(events.organizationId, organizationId)).orderBy(asc(events.id)),
    ticketTypes: await db.select().from(ticketTypes).where(eq(ticketTypes.organizationId, organizationId)).orderBy(asc(ticketTypes.id)),
    payments: await db.select().from(eventPayments).where(eq(eventPayments.organizationId, organizationId)).orderBy(asc(eventPayments.id)),
    tickets: await db.select().from(tickets).where(eq(tickets.organizationId, organizationId)).orderBy(asc(tickets.id)),
    receipts: await db.select().from(eventPaymentReceipts).where(eq(eventPaymentReceipts.organizationId, organizationId)).orderBy(asc(eventPaymentReceipts.id)),
    refunds: await db.select().from(refunds).where(eq(refunds.organizationId, organizationId)).orderBy(asc(refunds.id)),
  };
}

/** Expects a service call to fail exactly like a missing record: AppError `not_found` (HTTP 404). */
export async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a not-found error, but the call succeeded").toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("not_found");
  expect((error as AppError).status).toBe(404);
}

/** Runs `act` and checks it answered 404 and left organization `organizationId` untouched. */
export async function expectNotFoundAndUnchanged(organizationId: string, act: () => Promise<unknown>) {
  const before = await snapshotOrganization(organizationId);
  await expectNotFound(act());
  expect(await snapshotOrganization(organizationId)).toEqual(before);
}

/** Expects an AppError with `code` (e.g. "forbidden", "last_owner"). */
export async function expectAppError(promise: Promise<unknown>, code: AppError["code"]) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}, but the call succeeded`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}
