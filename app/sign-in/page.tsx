import type { Metadata } from "next";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} />
    </div>
  );
}
