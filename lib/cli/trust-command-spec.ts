/** `isthmus trust`'s command line, apart from the command so that loading the CLI loads no crypto library. */
import type { CommandSpec } from "./args";

/** `isthmus trust`'s command line. */
export const TRUST_COMMAND: CommandSpec = {
  name: "trust",
  summary:
    "Issue the mesh's root and each primary's intermediate CA, and build the remote secrets from the\n" +
    "reader tokens read with your kubeconfigs, into a private directory (0700, files 0600) to keep out\n" +
    "of git; print the kubectl commands that create the Secrets. Never prints a secret.",
  positionals: [
    { name: "spec-file", required: true, description: "The mesh document or spec given to synth." },
  ],
  options: {
    out: { type: "string", value: "dir", description: "The private directory to write to (required)." },
    "root-cert": {
      type: "string",
      value: "file",
      description: "Sign with a root of your own: its certificate, PEM (with --root-key).",
    },
    "root-key": {
      type: "string",
      value: "file",
      description: "The key of --root-cert, unencrypted PEM (RSA or ECDSA); read, never copied.",
    },
    kubeconfig: {
      type: "string",
      value: "cluster=file",
      repeatable: true,
      description:
        "A cluster's kubeconfig: reads its reader token for the remote secrets, and names it in the commands.",
    },
    server: {
      type: "string",
      value: "cluster=url",
      repeatable: true,
      description: "The API server URL the primaries reach a cluster at (default: its kubeconfig's server).",
    },
  },
};
