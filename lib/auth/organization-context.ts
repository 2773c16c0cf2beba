import "server-only";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listMembershipsOfUser, type MembershipOfUser } from "@/db/queries/users";
import type { MembershipRole } from "@/db/schema";
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

/**
 * For /organizer pages: the signed-in member and the organization they are working in (the one in
 * the cookie if they still belong to it, else their first). Signed out → sign-in; not a member of
 * any organization → not found.
 */
export async function requireOrganizerContext(returnTo: string): Promise<OrganizerContext> {
  const user = await requireUserOrSignIn(returnTo);
  const memberships = await listMembershipsOfUser(await getDb(), user.id);
  if (memberships.length === 0) notFound();
  const wanted = (await cookies()).get(currentOrganizationCookie)?.value;
  const current = memberships.find((m) => m.organizationId === wanted) ?? memberships[0]!;
  return { user, organizationId: current.organizationId, organizationName: current.organizationName, role: current.role, memberships };
}

export function canManage(role: MembershipRole): boolean {
  return role === "owner" || role === "admin";
}

