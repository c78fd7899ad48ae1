/**
 * The cloud provider SDKs are the user's (peer dependencies). npm only warns when the one installed
 * is older than isthmus's peer range and keeps it, so isthmus checks the major version itself and
 * refuses an older one with a message that says what to do, instead of failing later on a resource
 * schema the old SDK does not have.
 */
import * as pulumi from "@pulumi/pulumi";

/** The problem with an installed SDK version, or undefined when it is in range. */
export function providerVersionProblem(name: string, installed: string, major: number): string | undefined {
  const found = Number.parseInt(installed.split(".")[0] ?? "", 10);
  if (found >= major) return undefined;
  return (
    `${name} ${installed} is installed; isthmus needs ${name} ${major}.x or later (its peer dependency). ` +
    `Upgrade it: npm install ${name}@^${major}`
  );
}

const checked = new Set<string>();

/** Throws when the installed `name` is older than `major`; checks each package once per process. */
export function requireProviderMajor(name: string, major: number): void {
  if (checked.has(name)) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require(`${name}/package.json`) as { version: string };
  const problem = providerVersionProblem(name, version, major);
  // A RunError: Pulumi prints it without a stack trace, and so does `isthmus plan`.
  if (problem !== undefined) throw new pulumi.RunError(problem);
  checked.add(name);
}
