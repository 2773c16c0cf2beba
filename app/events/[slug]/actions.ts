"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { check } from "@/lib/validation";
import { eventPagePath } from "@/lib/purchase/paths";
import { purchaseTickets } from "@/lib/purchase/purchase-tickets";
import { purchaseRequestKey } from "@/lib/purchase/request-key";
import { buyerMessage } from "./buyer-message";

export interface BuyState {
  error?: string;
  resumeUrl?: string;
}

const form = z.object({
  eventId: z.string().min(1).max(100),
  slug: z.string().min(1).max(200),
  ticketTypeId: z.string().min(1).max(100),
  quantity: z.coerce.number().int().min(1).max(1000),
  requestToken: z.string().min(8).max(100),
});

/** The Buy button: hold the tickets, then 303 to Stripe Checkout. Prices come from the database only. */
export async function buyTickets(_previous: BuyState, data: FormData): Promise<BuyState> {
  const parsed = check(form, Object.fromEntries(data));
  if (!parsed.ok) return { error: "Choose how many tickets you want, then press Buy." };
  const input = parsed.data;
  const user = await getCurrentUser();
  if (!user) {
    // Back to this event after signing in, with the same ticket type and quantity chosen.
    const back = eventPagePath(input.slug, { ticketTypeId: input.ticketTypeId, quantity: input.quantity });
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
  }
  let checkoutUrl: string;
  try {
    const result = await purchaseTickets({
      user,
      eventId: input.eventId,
      ticket: { id: input.ticketTypeId },
      quantity: input.quantity,
      requestKey: purchaseRequestKey.form(input.requestToken, input.ticketTypeId, input.quantity),
    });
    // The same form sent again (back button) finds the purchase it made; say how that one ended.
    if (result.status === "expired" || result.status === "failed") {
      return { error: "That checkout has ended. Reload the page to start a new purchase." };
    }
    if (result.status !== "pending") return { error: "You already completed this purchase. Reload the page to buy more." };
    checkoutUrl = result.checkoutUrl;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { error: buyerMessage(error), resumeUrl: typeof error.details?.resumeUrl === "string" ? error.details.resumeUrl : undefined };
  }
  redirect(checkoutUrl);
}
