import "server-only";
import type { Executor } from "@/db/client";
import { findMembership } from "@/db/queries/memberships";
import type { MembershipRole } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

export const viewRoles: readonly MembershipRole[] = ["owner", "admin", "staff"];
export const manageRoles: readonly MembershipRole[] = ["owner", "admin"];
export const ownerRoles: readonly MembershipRole[] = ["owner"];

const forbiddenMessage: Record<string, string> = {
  owner: "Only an owner of this organization can do that.",
  admin: "Only an owner or admin of this organization can do that.",
};

/**
 * The one membership check. Not a member (or a malformed id) → 404, exactly like an organization
 * that does not exist; a member without one of `roles` → 403.
 */
export async function authorizeMember(db: Executor, userId: string, organizationId: string, roles: readonly MembershipRole[]) {
  const membership = isUuid(organizationId) ? await findMembership(db, userId, organizationId) : undefined;
  if (!membership) throw notFound("The organization");
  if (!roles.includes(membership.role)) {
    throw new AppError("forbidden", roles.includes("admin") ? forbiddenMessage.admin! : forbiddenMessage.owner!);
  }
  return { userId, organizationId, role: membership.role, organizationName: membership.organizationName };
}

export type AuthorizedMember = Awaited<ReturnType<typeof authorizeMember>>;
