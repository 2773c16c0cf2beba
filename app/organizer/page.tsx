import type { Metadata } from "next";
import { requireOrganizerContext } from "@/lib/auth/organization-context";

export const metadata: Metadata = { title: "Organizer" };

// Placeholder overview; the organizer issue replaces it with payments and receipts at a glance.
export default async function OrganizerOverviewPage() {
  const { organizationName } = await requireOrganizerContext("/organizer");
  return (
    <>
      <h1 className="text-2xl font-bold">{organizationName}</h1>
      <p className="mt-2 text-slate-600">Your organization&apos;s payments, receipts and members are managed here.</p>
    </>
  );
}
