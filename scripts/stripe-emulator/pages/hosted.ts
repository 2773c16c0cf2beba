import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "../context";
import { sendHtml } from "../wire/http";

export async function handleHostedPage(_ctx: EmulatorContext, _tick: () => void, _req: IncomingMessage, res: ServerResponse, _url: URL): Promise<void> {
  sendHtml(res, 200, "<!doctype html><title>Checkout</title>");
}
