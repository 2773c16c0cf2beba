import type { Metadata } from "next";
import Link from "next/link";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { enabledOAuthProviders } from "@/lib/auth/config";
import { retryAfterFromCode, tryAgainMessage } from "@/lib/auth/rate-limit";
import { wrongCredentialsMessage } from "@/lib/auth/messages";
import { signInWithProvider } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** Auth.js sends failed sign-ins (e.g. from the HTTP credentials flow or OAuth) back here with ?error=…&code=…. */
function messageFor(error: unknown, code: unknown): string | undefined {
  if (typeof error !== "string") return undefined;
  const wait = retryAfterFromCode(code);
  if (wait) return tryAgainMessage(wait);
  if (error === "CredentialsSignin") return wrongCredentialsMessage;
  if (error === "OAuthAccountNotLinked") return "That email already has an account: sign in with its password.";
  return "Signing in failed. Please try again.";
}

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const providers = enabledOAuthProviders().map(({ id, name }) => ({ id, name }));
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} initialError={messageFor(params.error, params.code)} />
      {providers.length > 0 && (
        <div className="mt-6 space-y-2 border-t border-slate-200 pt-6">
          {providers.map((provider) => (
            <form key={provider.id} action={signInWithProvider}>
              <input type="hidden" name="provider" value={provider.id} />
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <button type="submit" className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50">
                Continue with {provider.name}
              </button>
            </form>
          ))}
        </div>
      )}
      <p className="mt-6 text-sm text-slate-600">
        New here?{" "}
        <Link href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-medium text-brand-700 hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
