// Runs once when the Next server starts. The launcher (npm start) sets NEXT_MANUAL_SIG_HANDLE so
// that this handler, not Next's, decides how the process ends: close the database (PGlite must be
// closed cleanly, not killed mid-write), then exit.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { closeDb } = await import("./db/client");
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const forceExit = setTimeout(() => process.exit(1), 5_000);
    forceExit.unref();
    closeDb()
      .catch((error: unknown) => console.error("[boxoffice] closing the database failed", error))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
