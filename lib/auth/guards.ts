import "server-only";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { findMembership } from "@/db/queries/users";
import type { MembershipRole } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { auth } from "./next-auth";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
}

export async function getCurrentUser(): Promise<CurrentUser | undefined> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return undefined;
  return { id: user.id, email: user.email, name: user.name ?? null };
}

/** For route handlers and actions: the signed-in user, or a 401 AppError. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  return user;
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUserOrSignIn(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export const viewRoles: readonly MembershipRole[] = ["owner", "admin", "staff"];
export const manageRoles: readonly MembershipRole[] = ["owner", "admin"];

/**
 * The signed-in user's membership of an organization with one of `roles`. Not a member → 404 (an
 * organization you do not belong to does not exist for you); a member without the role → 403.
 */
export async function requireMember(organizationId: string, roles: readonly MembershipRole[] = viewRoles) {
  const user = await requireUser();
  const membership = await findMembership(await getDb(), user.id, organizationId);
  if (!membership) throw notFound("The organization");
  if (!roles.includes(membership.role)) {
    throw new AppError("forbidden", "Only an owner or admin of this organization can do that.");
  }
  return { user, organizationId, role: membership.role, organizationName: membership.organizationName };
}
