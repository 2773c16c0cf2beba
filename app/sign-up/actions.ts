"use server";

import { headers } from "next/headers";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { clientIp } from "@/lib/auth/client-ip";
import { signIn } from "@/lib/auth/next-auth";
import { signUp } from "@/lib/auth/sign-up";
import { AppError } from "@/lib/errors";

export interface SignUpState {
  error?: string;
  fields?: Record<string, string>;
  values?: { name: string; email: string; organizationName: string };
}

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    organizationName: String(form.get("organizationName") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  let created: Awaited<ReturnType<typeof signUp>>;
  try {
    created = await signUp({ ...values, password }, { ip: clientIp(await headers()) });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const fields = (error.details?.fields as Record<string, string> | undefined) ?? undefined;
    return { error: fields ? "Please correct the fields marked below." : error.message, fields, values };
  }
  // New organizers land in their organization; everyone else goes where they were heading.
  const redirectTo = created.organizationId ? "/organizer" : safeCallbackPath(form.get("callbackUrl"));
  await signIn("credentials", { email: created.email, password, redirectTo });
  return {};
}
