import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { memberships, organizations, users, type MembershipRole } from "../schema";

/** The user's role in one organization, or undefined when they are not a member. */
export async function findMembership(db: Executor, userId: string, organizationId: string) {
  const [row] = await db
    .select({ role: memberships.role, organizationName: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  return row;
}

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .select({
      organizationId: organizations.id,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id));
}

export type MembershipOfUser = Awaited<ReturnType<typeof listMembershipsOfUser>>[number];

/** Members of one organization (tenant-scoped by `organizationId`). */
export async function listMembersOfOrganization(db: Executor, organizationId: string) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.createdAt), asc(users.email));
}

export type OrganizationMember = Awaited<ReturnType<typeof listMembersOfOrganization>>[number];

export async function insertMembership(db: Executor, organizationId: string, userId: string, role: MembershipRole) {
  const [row] = await db
    .insert(memberships)
    .values({ organizationId, userId, role })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  return row !== undefined;
}

/** Returns false when the user is not a member of this organization. */
export async function updateMembershipRole(db: Executor, organizationId: string, userId: string, role: MembershipRole) {
  const rows = await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function deleteMembership(db: Executor, organizationId: string, userId: string) {
  const rows = await db
    .delete(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function countOwners(db: Executor, organizationId: string) {
  return db.$count(memberships, and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")));
}
