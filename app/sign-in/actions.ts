"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export interface SignInState {
  error?: string;
  email?: string;
}

export async function signInWithPassword(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeCallbackPath(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    // signIn redirects by throwing; only Auth.js's own errors mean "wrong credentials".
    if (error instanceof AuthError) return { error: "That email and password do not match an account.", email };
    throw error;
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
