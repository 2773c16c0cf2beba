import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { memberships, organizations, users, type MembershipRole } from "../schema";

export async function findUserByEmail(db: Executor, normalizedEmail: string) {
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, normalizedEmail)).limit(1);
  return user;
}

export async function findUserById(db: Executor, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

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
    .orderBy(organizations.name);
}

export type MembershipOfUser = Awaited<ReturnType<typeof listMembershipsOfUser>>[number];
export type { MembershipRole };
