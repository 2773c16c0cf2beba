// GET /checkout/cancel?session_id=…&payment_id=… – Stripe Checkout's cancel_url: release the hold,
// then back to the event page with the buyer's choice filled in
import { NextResponse, type NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/guards";
import { cancelCheckout } from "@/lib/purchase/cancel-checkout";
import { eventPagePath } from "@/lib/purchase/paths";

export async function GET(request: NextRequest) {
  const here = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  const user = await getCurrentUser();
  if (!user) return redirect(request, `/sign-in?callbackUrl=${encodeURIComponent(here)}`);
  const cancelled = await cancelCheckout({
    userId: user.id,
    sessionId: request.nextUrl.searchParams.get("session_id") ?? undefined,
    paymentId: request.nextUrl.searchParams.get("payment_id") ?? undefined,
  });
  if (!cancelled) return redirect(request, "/");
  return redirect(
    request,
    eventPagePath(cancelled.eventSlug, {
      ticketTypeId: cancelled.ticketTypeId,
      quantity: cancelled.quantity,
      notice: cancelled.released ? "cancelled" : undefined,
    }),
  );
}

function redirect(request: NextRequest, path: string) {
  return NextResponse.redirect(new URL(path, request.nextUrl.origin), 303);
}
