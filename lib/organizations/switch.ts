import "server-only";
import { getDb } from "@/db/client";
import { authorizeMember, viewRoles } from "./access";
import type { Actor } from "./members";

/** The organization to switch to, after checking the actor belongs to it (else 404). */
export async function organizationToSwitchTo(actor: Actor, organizationId: string) {
  const membership = await authorizeMember(await getDb(), actor.userId, organizationId, viewRoles);
  return { organizationId: membership.organizationId, organizationName: membership.organizationName };
}
