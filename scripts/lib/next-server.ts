import { availableParallelism } from "node:os";
import path from "node:path";

/** Next.js's command-line entry point, run with this Node (`process.execPath`). */
export const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

/**
 * The arguments that start the app server: `npm start` and the benchmarks start it the same way, so
 * what the benchmarks measure is what ships. `extraNodeArgs` come after the shipped flags and win.
 */
export function nextServerArgs(nextArgs: string[], extraNodeArgs: string[] = []): string[] {
  return [...serverNodeArgs(), ...extraNodeArgs, nextBin, ...nextArgs];
}

/**
 * Node flags for the app server's process.
 *
 * V8 runs its garbage collector's background work (concurrent marking, parallel scavenges,
 * sweeping) on a pool of worker threads, four by default whatever the machine. On the two-core
 * machine this product is measured on, those four compete for a core with the one thread that
 * serves every request, with Postgres and with Stripe's stand-in: at buyers arriving at 35 % of
 * the health rate, the app's main thread spent ~1.2 s of every 10 s ready to run but waiting for
 * a core. One worker per core left after the main thread keeps garbage collection off the main
 * thread (unlike `--single-threaded-gc`, which measured worse) without crowding it: the wait fell
 * to ~0.9 s and the workers' CPU by about a third (see the README's benchmark notes). From five
 * cores up this is Node's own default.
 *
 * A `--v8-pool-size` already in NODE_OPTIONS is the operator's choice and is left alone.
 */
export function serverNodeArgs(options: { cores?: number; nodeOptions?: string } = {}): string[] {
  const nodeOptions = options.nodeOptions ?? process.env.NODE_OPTIONS ?? "";
  if (/(^|\s)--v8-pool-size(=|\s|$)/.test(nodeOptions)) return [];
  return [`--v8-pool-size=${gcWorkerThreads(options.cores ?? availableParallelism())}`];
}

/** The cores left after the main thread, at least one and at most Node's default of four. */
export function gcWorkerThreads(cores: number): number {
  return Math.min(4, Math.max(1, cores - 1));
}
