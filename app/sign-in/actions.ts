"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { enabledOAuthProviders } from "@/lib/auth/config";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { wrongCredentialsMessage } from "@/lib/auth/messages";
import { retryAfterFromCode, tryAgainMessage } from "@/lib/auth/rate-limit";

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
    // signIn redirects by throwing; only Auth.js's own errors mean "not signed in".
    if (error instanceof CredentialsSignin) {
      const wait = retryAfterFromCode(error.code);
      return { error: wait ? tryAgainMessage(wait) : wrongCredentialsMessage, email };
    }
    if (error instanceof AuthError) return { error: "Signing in failed. Please try again.", email };
    throw error;
  }
}

/** Starts an OAuth sign-in with one of the providers that are switched on. */
export async function signInWithProvider(form: FormData): Promise<void> {
  const providerId = String(form.get("provider") ?? "");
  if (!enabledOAuthProviders().some((p) => p.id === providerId)) return;
  await signIn(providerId, { redirectTo: safeCallbackPath(form.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
