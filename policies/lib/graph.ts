/**
 * Stack-policy linking. The SDK hands a stack policy every resource with
 * its dependencies, property dependencies and parent already resolved to
 * resource objects; what it does not give is the reverse direction ("who
 * references this vault through backupVaultName?"). StackGraph builds those
 * indexes once per validateStack in one pass over all edges, so checks stay
 * linear in the size of the stack (20,000 resources) instead of scanning
 * every resource for every resource.
 *
 * Links go through URNs (property dependencies), which are known in a
 * preview while ids and ARNs are not.
 */
import type { PolicyResource } from "@pulumi/policy";

const EMPTY: readonly PolicyResource[] = Object.freeze([]);

export class StackGraph {
  private readonly urns = new Map<string, PolicyResource>();
  private readonly types = new Map<string, PolicyResource[]>();
  /** target urn -> resources listing it in `dependencies`. */
  private readonly dependents = new Map<string, PolicyResource[]>();
  /** target urn -> property key -> resources listing it in `propertyDependencies[key]`. */
  private readonly propertyDependents = new Map<string, Map<string, PolicyResource[]>>();
  /** parent urn -> children. */
  private readonly kids = new Map<string, PolicyResource[]>();

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      this.urns.set(r.urn, r);
      push(this.types, r.type, r);
      if (r.parent) push(this.kids, r.parent.urn, r);
      // A resource may list the same dependency twice; index it once per edge kind.
      const seen = new Set<string>();
      for (const d of r.dependencies ?? []) {
        if (seen.has(d.urn)) continue;
        seen.add(d.urn);
        push(this.dependents, d.urn, r);
      }
      for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
        const seenKey = new Set<string>();
        for (const d of deps) {
          if (seenKey.has(d.urn)) continue;
          seenKey.add(d.urn);
          let byKey = this.propertyDependents.get(d.urn);
          if (!byKey) this.propertyDependents.set(d.urn, (byKey = new Map()));
          push(byKey, key, r);
        }
      }
    }
  }

  byUrn(urn: string): PolicyResource | undefined {
    return this.urns.get(urn);
  }

  /** Every resource of one of the given types, in stack order per type. */
  ofType(...types: string[]): readonly PolicyResource[] {
    if (types.length === 1) return this.types.get(types[0]) ?? EMPTY;
    return types.flatMap((t) => this.types.get(t) ?? []);
  }

  has(type: string): boolean {
    return (this.types.get(type)?.length ?? 0) > 0;
  }

  /** Resources that list `target` in their dependencies, optionally of the given types. */
  dependentsOf(target: PolicyResource, types?: readonly string[]): readonly PolicyResource[] {
    return filterTypes(this.dependents.get(target.urn) ?? EMPTY, types);
  }

  /**
   * Resources that reference `target` through the input property `key`
   * (top-level property name: a Backup plan's vault names sit under
   * `rules`), optionally of the given types.
   */
  referencing(target: PolicyResource, key: string, types?: readonly string[]): readonly PolicyResource[] {
    return filterTypes(this.propertyDependents.get(target.urn)?.get(key) ?? EMPTY, types);
  }

  /** Resources `from` references through the input property `key`, optionally of the given types. */
  referencedBy(from: PolicyResource, key: string, types?: readonly string[]): readonly PolicyResource[] {
    return filterTypes(from.propertyDependencies?.[key] ?? EMPTY, types);
  }

  /** Direct children (resources whose parent is `parent`). */
  childrenOf(parent: PolicyResource): readonly PolicyResource[] {
    return this.kids.get(parent.urn) ?? EMPTY;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function filterTypes(list: readonly PolicyResource[], types?: readonly string[]): readonly PolicyResource[] {
  if (!types) return list;
  return list.filter((r) => types.includes(r.type));
}

/** The stack name in a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}
