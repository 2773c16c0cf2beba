// Runs once when the Next server starts: on Node, close the database cleanly on SIGTERM/SIGINT
// (see instrumentation-node.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { closeDatabaseOnSignals } = await import("./instrumentation-node");
    closeDatabaseOnSignals();
  }
}
