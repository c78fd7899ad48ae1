/**
 * The Google Cloud project the GCP examples provision in: config `project`, else `gcp:project`.
 */
import * as pulumi from "@pulumi/pulumi";

/** The project id; a clear error, before anything is registered, when neither config is set. */
export function gcpProject(config: pulumi.Config): string {
  const project = config.get("project") ?? new pulumi.Config("gcp").get("project");
  if (project === undefined) {
    throw new pulumi.InputPropertiesError({
      message:
        "config project: is missing; got nothing, expected a Google Cloud project id. " +
        "Set it: pulumi config set gcp:project <project-id>",
      errors: [{ propertyPath: "project", reason: "missing: set gcp:project or project" }],
    });
  }
  return project;
}
