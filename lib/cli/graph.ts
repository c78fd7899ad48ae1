/**
 * The stack graph as a Mermaid flowchart: components are subgraphs, custom resources are nodes,
 * dependencies are arrows (from the resource to what it waits for).
 */
import type { RecordedResource } from "../testing/recorded-resource";

/** A Mermaid `flowchart` of the resources and their dependencies, in a Markdown document. */
export function renderMermaid(resources: readonly RecordedResource[], title: string): string {
  const ids = new Map(resources.map((r, i) => [r.urn, `r${i}`]));
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of resources) {
    const parent = r.parent !== undefined && ids.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines = ["flowchart LR"];
  const emit = (r: RecordedResource, indent: string): void => {
    const id = ids.get(r.urn)!;
    const label = `${r.name}<br/><small>${shortType(r.type)}</small>`;
    const kids = children.get(r.urn) ?? [];
    if (!r.custom || kids.length > 0) {
      lines.push(`${indent}subgraph ${id}["${escape(label)}"]`);
      kids.forEach((k) => emit(k, `${indent}  `));
      lines.push(`${indent}end`);
    } else {
      lines.push(`${indent}${id}["${escape(label)}"]`);
    }
  };
  (children.get(undefined) ?? []).forEach((r) => emit(r, "  "));
  for (const r of resources) {
    for (const dep of r.dependencies) {
      const target = ids.get(dep);
      if (target !== undefined) lines.push(`  ${ids.get(r.urn)} -.-> ${target}`);
    }
  }
  return `# ${title}\n\nArrows point from a resource to what it waits for.\n\n\`\`\`mermaid\n${lines.join("\n")}\n\`\`\`\n`;
}

function shortType(type: string): string {
  return type.replace(/^kubernetes:/, "k8s:");
}

function escape(text: string): string {
  return text.replace(/"/g, "#quot;");
}
