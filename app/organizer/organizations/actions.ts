"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { toFormState, type FormState } from "@/lib/auth/action-errors";
import { usesSecureCookies } from "@/lib/auth/config";
import { requireUser } from "@/lib/auth/guards";
import { currentOrganizationCookie } from "@/lib/auth/organization-context";
import { getEnv } from "@/lib/env";
import { createOrganization } from "@/lib/organizations/create";
import { organizationToSwitchTo } from "@/lib/organizations/switch";

async function rememberOrganization(organizationId: string) {
  (await cookies()).set(currentOrganizationCookie, organizationId, {
    httpOnly: true,
    sameSite: "lax",
    secure: usesSecureCookies(getEnv()),
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
}

export async function switchOrganizationAction(form: FormData): Promise<void> {
  const user = await requireUser();
  try {
    const target = await organizationToSwitchTo({ userId: user.id }, String(form.get("organizationId") ?? ""));
    await rememberOrganization(target.organizationId);
  } catch (error) {
    toFormState(error); // not a member → the not-found page; nothing changes
    throw error;
  }
  redirect("/organizer");
}

export async function createOrganizationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  let organizationId: string;
  try {
    organizationId = (await createOrganization({ userId: user.id }, { name: form.get("name") })).id;
  } catch (error) {
    return toFormState(error);
  }
  await rememberOrganization(organizationId);
  redirect("/organizer");
}
