/**
 * Golden files: a test compares the text it renders with a file kept beside it, and
 * `UPDATE_GOLDEN=1` rewrites the file instead.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A comparer with the golden files of one folder: `golden(name, text)` asserts that `text` equals
 * `<dir>/<name>`, and with `UPDATE_GOLDEN=1` writes `text` there first.
 */
export function goldenFiles(dir: string): (name: string, text: string) => void {
  return (name, text) => {
    const file = join(dir, name);
    if (process.env["UPDATE_GOLDEN"] === "1") {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, text);
    }
    assert.ok(existsSync(file), `${file}: no golden file; run with UPDATE_GOLDEN=1 to write it`);
    assert.equal(
      text,
      readFileSync(file, "utf8"),
      `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`,
    );
  };
}
