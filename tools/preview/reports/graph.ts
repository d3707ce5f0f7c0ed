/**
 * The parent/dependency graph in Graphviz DOT: one node per resource
 * (type and name), one cluster per component holding its children, solid
 * edges parent -> child, dashed edges resource -> what it depends on.
 * Resources with violations are outlined in the level's colour.
 * SVG is rendered in-process with Graphviz compiled to WebAssembly.
 */
import type { CapturedResource } from "../engine";
import type { PreviewResult } from "../run-preview";
import { redactText } from "../run-preview";
import { isDeferred, isRpoReport } from "../text-report";

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;

export function buildDot(result: PreviewResult): string {
  const scrub = (t: string) => redactText(t, result.secretValues);
  const resources = result.resources;
  const ids = new Map<string, string>(resources.map((r, i) => [r.urn, `r${i}`]));
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of resources) {
    const parent = r.parent && ids.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const worst = new Map<string, "mandatory" | "advisory">();
  for (const d of result.diagnostics) {
    if (!d.urn || isDeferred(d) || isRpoReport(d)) continue;
    if (d.enforcementLevel === "mandatory") worst.set(d.urn, "mandatory");
    else if (d.enforcementLevel === "advisory" && !worst.has(d.urn)) worst.set(d.urn, "advisory");
  }

  const lines: string[] = [];
  lines.push(`digraph ${quote(`${result.project}/${result.stack}`)} {`);
  lines.push("  rankdir=LR;");
  lines.push('  graph [fontname="Helvetica", fontsize=11, compound=true];');
  lines.push('  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];');
  lines.push('  edge [color="#555555"];');

  const node = (r: CapturedResource, indent: string) => {
    const attrs = [`label=${quote(`${r.type}\n${scrub(r.name)}`)}`];
    if (!r.custom) attrs.push('fillcolor="#eef3fb"');
    if (r.type.startsWith("pulumi:providers:")) attrs.push('shape=component');
    const level = worst.get(r.urn);
    if (level) attrs.push(`color=${level === "mandatory" ? '"#d73a49", penwidth=2.5' : '"#dbab09", penwidth=2'}`);
    lines.push(`${indent}${ids.get(r.urn)} [${attrs.join(", ")}];`);
  };
  const place = (parent: string | undefined, indent: string) => {
    for (const r of children.get(parent) ?? []) {
      const kids = children.get(r.urn);
      if (!r.custom && kids?.length) {
        lines.push(`${indent}subgraph ${quote(`cluster_${ids.get(r.urn)}`)} {`);
        lines.push(`${indent}  label=${quote(`${r.type.split(":").pop()} ${scrub(r.name)}`)};`);
        lines.push(`${indent}  style="rounded,dashed"; color="#8899aa";`);
        node(r, `${indent}  `);
        place(r.urn, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        node(r, indent);
      }
    }
  };
  place(undefined, "  ");

  const edges = new Set<string>();
  for (const r of resources) {
    const id = ids.get(r.urn)!;
    if (r.parent && ids.has(r.parent)) edges.add(`  ${ids.get(r.parent)} -> ${id};`);
    const deps = new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()]);
    for (const dep of deps) {
      if (dep === r.parent || !ids.has(dep)) continue;
      edges.add(`  ${id} -> ${ids.get(dep)} [style=dashed, color="#8a8a8a", arrowhead=open];`);
    }
  }
  lines.push(...edges);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}

export async function buildGraph(result: PreviewResult, file: string): Promise<string> {
  const dot = buildDot(result);
  return /\.svg$/i.test(file) ? renderSvg(dot) : dot;
}
