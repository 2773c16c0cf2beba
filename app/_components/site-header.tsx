import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/guards";
import { getMembershipsOfUser } from "@/lib/auth/organization-context";
import { signOutAction } from "@/app/sign-in/actions";

const navLink = "text-sm font-medium text-slate-700 hover:text-slate-950";

export async function SiteHeader() {
  const user = await getCurrentUser();
  const isOrganizer = user ? (await getMembershipsOfUser(user.id)).length > 0 : false;
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
          boxoffice
        </Link>
        <Link href="/" className={navLink}>Events</Link>
        {user && <Link href="/tickets" className={navLink}>My tickets</Link>}
        {isOrganizer && <Link href="/organizer" className={navLink}>Organizer</Link>}
        <div className="ml-auto flex items-center gap-4 text-sm">
          {user ? (
            <>
              <span data-testid="signed-in-as" className="text-slate-600">
                Signed in as <strong className="font-medium text-slate-900">{user.email}</strong>
              </span>
              <form action={signOutAction}>
                <button type="submit" className="font-medium text-brand-700 hover:underline">Sign out</button>
              </form>
            </>
          ) : (
            <>
              <Link href="/sign-in" className="font-medium text-brand-700 hover:underline">Sign in</Link>
              <Link href="/sign-up" className="font-medium text-brand-700 hover:underline">Sign up</Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
