"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type FormState } from "@/lib/auth/action-errors";
import { requireUser } from "@/lib/auth/guards";
import { addMember, changeMemberRole, removeMember } from "@/lib/organizations/members";

// Each action acts on the organization named in the form (the one the page showed) and the
// service checks that the signed-in user owns it: another tenant's id is a not-found page.
const organizationOf = (form: FormData) => String(form.get("organizationId") ?? "");

export async function addMemberAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    const added = await addMember({ userId: user.id }, organizationOf(form), {
      email: form.get("email"),
      role: form.get("role"),
    });
    revalidatePath("/organizer/members");
    return { success: `Added ${added.email} as ${added.role}.` };
  } catch (error) {
    return toFormState(error);
  }
}

export async function changeRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await changeMemberRole({ userId: user.id }, organizationOf(form), { userId: form.get("userId"), role: form.get("role") });
    revalidatePath("/organizer", "layout");
    return { success: "Role changed." };
  } catch (error) {
    return toFormState(error);
  }
}

export async function removeMemberAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await removeMember({ userId: user.id }, organizationOf(form), String(form.get("userId") ?? ""));
    revalidatePath("/organizer", "layout");
    return { success: "Member removed." };
  } catch (error) {
    return toFormState(error);
  }
}
