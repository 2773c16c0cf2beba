import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { emptyStore, type Store } from "./store";
import type { Delivery } from "./webhooks/delivery";
import { savedIdempotency } from "./wire/idempotency";

export interface SavedState {
  version: 1;
  store: Store;
  deliveries: Delivery[];
}

/** The state file keeps sessions and payments across restarts of `npm start` (the database keeps its side). */
export function loadState(file: string): SavedState | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<SavedState>;
  if (parsed.version !== 1 || !parsed.store) return undefined;
  // Fields added in later versions of the emulator start empty.
  return { version: 1, store: { ...emptyStore(), ...parsed.store }, deliveries: parsed.deliveries ?? [] };
}

export function saveState(file: string, state: SavedState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a crash mid-write never leaves half a file behind.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...state, store: { ...state.store, idempotency: savedIdempotency(state.store) } }));
  renameSync(tmp, file);
}
