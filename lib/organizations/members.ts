import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import {
  countOwners,
  deleteMembership,
  findMembership,
  insertMembership,
  listMembersOfOrganization,
  updateMembershipRole,
} from "@/db/queries/memberships";
import { lockOrganization } from "@/db/queries/organizations";
import { findUserByEmail } from "@/db/queries/users";
import { membershipRole, type MembershipRole } from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/password";
import { AppError, notFound } from "@/lib/errors";
import { parseWith } from "@/lib/validation";
import { authorizeMember, ownerRoles, viewRoles } from "./access";

/** Who is acting: always the signed-in user's id, checked against the organization here. */
export interface Actor {
  userId: string;
}

export const addMemberSchema = z.object({
  email: z.string().trim().min(1, "Enter the email of an existing account.").max(320).pipe(z.email("Enter a valid email address.")),
  role: z.enum(["admin", "staff"], { error: "Choose admin or staff." }),
});

export const changeRoleSchema = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(membershipRole.enumValues, { error: "Choose owner, admin or staff." }),
});

export async function listMembers(actor: Actor, organizationId: string) {
  const db = await getDb();
  await authorizeMember(db, actor.userId, organizationId, viewRoles);
  return listMembersOfOrganization(db, organizationId);
}

/** Owners add an existing account as admin or staff. */
export async function addMember(actor: Actor, organizationId: string, input: unknown) {
  const db = await getDb();
  await authorizeMember(db, actor.userId, organizationId, ownerRoles);
  const { email, role } = parseWith(addMemberSchema, input);
  const user = await findUserByEmail(db, normalizeEmail(email));
  if (!user) {
    throw new AppError("validation_failed", "No account uses that email. Ask them to sign up first, then add them.", {
      fields: { email: "No account uses that email." },
    });
  }
  if (!(await insertMembership(db, organizationId, user.id, role))) {
    throw new AppError("conflict", `${user.email} is already a member of this organization.`);
  }
  return { userId: user.id, email: user.email, role };
}

/** Owners change any member's role; the last owner cannot be demoted. */
export async function changeMemberRole(actor: Actor, organizationId: string, input: unknown) {
  const db = await getDb();
  await authorizeMember(db, actor.userId, organizationId, ownerRoles);
  const { userId, role } = parseWith(changeRoleSchema, input);
  return db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    await authorizeMember(tx, actor.userId, organizationId, ownerRoles); // still an owner, now that we hold the lock
    const target = await findMembership(tx, userId, organizationId);
    if (!target) throw notFound("The member");
    if (target.role === "owner" && role !== "owner") await assertAnotherOwner(tx, organizationId);
    await updateMembershipRole(tx, organizationId, userId, role);
    return { userId, role: role as MembershipRole };
  });
}

/** Owners remove members (themselves too, while another owner remains). */
export async function removeMember(actor: Actor, organizationId: string, userId: string) {
  const db = await getDb();
  await authorizeMember(db, actor.userId, organizationId, ownerRoles);
  await db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    await authorizeMember(tx, actor.userId, organizationId, ownerRoles);
    const target = await findMembership(tx, userId, organizationId);
    if (!target) throw notFound("The member");
    if (target.role === "owner") await assertAnotherOwner(tx, organizationId);
    await deleteMembership(tx, organizationId, userId);
  });
}

async function assertAnotherOwner(tx: Parameters<typeof countOwners>[0], organizationId: string) {
  if ((await countOwners(tx, organizationId)) <= 1) {
    throw new AppError("last_owner", "An organization always keeps an owner. Make someone else an owner first.");
  }
}
