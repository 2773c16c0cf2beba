/** The event page with a ticket choice filled in (after sign-in or a cancelled checkout). */
export function eventPagePath(
  slug: string,
  choice: { ticketTypeId?: string; quantity?: number; notice?: "cancelled" } = {},
): string {
  const query = new URLSearchParams();
  if (choice.ticketTypeId) query.set("ticketType", choice.ticketTypeId);
  if (choice.quantity) query.set("quantity", String(choice.quantity));
  if (choice.notice) query.set("notice", choice.notice);
  const search = query.toString();
  return `/events/${encodeURIComponent(slug)}${search ? `?${search}` : ""}`;
}
