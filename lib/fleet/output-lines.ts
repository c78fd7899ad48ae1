/** Engine output as lines, each prefixed with the stack it came from. */

/** A writer of an operation's output that passes each non-empty line on as `[stack] line`. */
export function lineWriter(
  stack: string,
  onLine: ((line: string) => void) | undefined,
): (text: string) => void {
  return (text) => {
    for (const line of text.split("\n")) if (line.trim() !== "") onLine?.(`[${stack}] ${line}`);
  };
}
