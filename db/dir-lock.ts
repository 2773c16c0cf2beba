import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import path from "node:path";

export class LockHeldError extends Error {
  constructor(
    readonly what: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `${what} is already in use by process ${pid} (lock ${lockFile}). ` +
        `Stop that process first (or set BOXOFFICE_DATA_DIR to another folder).`,
    );
    this.name = "LockHeldError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes an exclusive, process-wide lock file (O_EXCL create holding our pid). A lock left by a
 * process that no longer exists is taken over. Re-entrant within one process. Returns the release.
 */
export function acquireDirLock(lockFile: string, what: string): () => void {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockFile, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      if (holder === process.pid) return () => {};
      if (Number.isFinite(holder) && alive(holder)) throw new LockHeldError(what, holder, lockFile);
      rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock ${lockFile}`);
}
