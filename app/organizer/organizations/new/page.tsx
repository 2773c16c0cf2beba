import type { Metadata } from "next";
import { requireUserOrSignIn } from "@/lib/auth/guards";
import { CreateOrganizationForm } from "./create-organization-form";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  await requireUserOrSignIn("/organizer/organizations/new");
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-bold">New organization</h1>
      <p className="mt-2 text-slate-600">Sell tickets for your events. You become the organization&apos;s owner and can add your team.</p>
      <CreateOrganizationForm />
    </div>
  );
}
