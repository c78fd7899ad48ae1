/**
 * The output folder of `isthmus plan --out` and `isthmus synth --out`: emptied first, so that no file
 * of an earlier run is left for a GitOps tool to apply, then written file by file.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** A freshly emptied output folder. */
export interface OutDir {
  /** Writes `text` to `relative` (folders made as needed) and records it. */
  readonly write: (relative: string, text: string) => void;
  /** The files written so far, relative to the folder, in order. */
  readonly files: string[];
}

/** Empties (or creates) `outDir` and returns a writer into it. */
export function freshOutDir(outDir: string): OutDir {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (relative: string, text: string): void => {
    const file = path.join(outDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    files.push(relative);
  };
  return { write, files };
}
