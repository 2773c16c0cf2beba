import "server-only";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { listMembershipsOfUser, type MembershipOfUser } from "@/db/queries/memberships";
import type { MembershipRole } from "@/db/schema";
import { safeCallbackPath } from "./callback-url";
import { pathnameHeader } from "./cookies";
import { requireUserOrSignIn, type CurrentUser } from "./guards";

/** Which of their organizations an organizer is looking at; switched in the organizer area. */
export const currentOrganizationCookie = "bo_org";

export interface OrganizerContext {
  user: CurrentUser;
  organizationId: string;
  organizationName: string;
  role: MembershipRole;
  memberships: MembershipOfUser[];
}

/** The user's organizations, read once per request (header, layout and page share it). */
export const getMembershipsOfUser = cache(async (userId: string) => listMembershipsOfUser(await getDb(), userId));

/** The path being rendered, as proxy.ts passed it on ("/organizer" when unknown). */
export async function currentOrganizerPath(): Promise<string> {
  return safeCallbackPath((await headers()).get(pathnameHeader), "/organizer");
}

/**
 * For /organizer pages: the signed-in member and the organization they are working in (the one in
 * the cookie if they still belong to it, else their first). Signed out → sign-in, coming back to
 * `returnTo` (default: the requested path); not a member of any organization → not found.
 */
export async function requireOrganizerContext(returnTo?: string): Promise<OrganizerContext> {
  const user = await requireUserOrSignIn(returnTo ?? (await currentOrganizerPath()));
  const context = await findOrganizerContext(user);
  if (!context) notFound();
  return context;
}

/** Like requireOrganizerContext, but undefined (instead of not-found) for a signed-in non-member. */
export async function findOrganizerContext(user: CurrentUser): Promise<OrganizerContext | undefined> {
  const memberships = await getMembershipsOfUser(user.id);
  if (memberships.length === 0) return undefined;
  const wanted = (await cookies()).get(currentOrganizationCookie)?.value;
  const current = memberships.find((m) => m.organizationId === wanted) ?? memberships[0]!;
  return { user, organizationId: current.organizationId, organizationName: current.organizationName, role: current.role, memberships };
}

export function canManage(role: MembershipRole): boolean {
  return role === "owner" || role === "admin";
}
