/**
 * AWS Backup as the stack policies see it: vaults, their locks, plans and
 * their rules, selections and the data stores they select, linked through
 * URNs (property dependencies) first and known names/ARNs second.
 *
 * Property dependencies are keyed by top-level input: a plan's target vault
 * and its copy destinations are both under `rules`, so a rule's own target
 * is told apart by name (or, when the name is still unknown, by region).
 */
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "../lib/graph";
import { isUnknownAt, rawValue } from "../lib/presence";
import { tagsOf } from "../lib/props";
import { providerDefaultTags, regionOf, regionOfArn } from "../lib/region";

export const VAULT = "aws:backup/vault:Vault";
export const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
export const PLAN = "aws:backup/plan:Plan";
export const SELECTION = "aws:backup/selection:Selection";
export const RESTORE_TESTING_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
export const RESTORE_TESTING_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/** Read a known scalar without throwing: undefined when absent or unknown. */
export function known<T = unknown>(obj: unknown, key: string): T | undefined {
  if (isUnknownAt(obj, key)) return undefined;
  return rawValue(obj, key) as T | undefined;
}

export function label(r: PolicyResource): string {
  const n = known<string>(r.props, "name");
  return typeof n === "string" && n ? n : r.name;
}

export function ruleLabel(rule: any, index: number): string {
  const n = known<string>(rule, "ruleName");
  return typeof n === "string" && n ? `rule "${n}"` : `rule #${index + 1}`;
}

/** A vault name from a backup vault ARN (arn:...:backup-vault:<name>). */
export function vaultNameOfArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const m = /:backup-vault:([^:/]+)$/.exec(arn);
  return m?.[1];
}

/** Region identity for comparisons: the known region, else the provider it inherits it from. */
export function regionKey(r: PolicyResource): { region?: string; key: string } {
  const region = regionOf(r);
  return region ? { region, key: `region:${region}` } : { key: `provider:${r.provider?.urn ?? "default"}` };
}

export interface CopyLink {
  copyIndex: number;
  copy: any;
  /** The destination vault when it is in the stack and could be identified. */
  vault?: PolicyResource;
  /** Region of the destination from its ARN when the ARN is a known literal. */
  arnRegion?: string;
}

/** Indexes built once per validateStack (linear in the stack). */
export class BackupModel {
  private readonly vaultsByName = new Map<string, PolicyResource[]>();

  constructor(readonly graph: StackGraph) {
    for (const v of graph.ofType(VAULT)) {
      const name = known<string>(v.props, "name");
      if (typeof name === "string") {
        const list = this.vaultsByName.get(name);
        if (list) list.push(v);
        else this.vaultsByName.set(name, [v]);
      }
    }
  }

  /** Rules of a plan (reading an unknown `rules` list throws: the plan cannot be analysed yet). */
  rules(plan: PolicyResource): any[] {
    const rules = plan.props.rules;
    return Array.isArray(rules) ? rules : [];
  }

  /** Vaults the plan references in its rules (targets and copy destinations). */
  linkedVaults(plan: PolicyResource): readonly PolicyResource[] {
    const linked = this.graph.referencedBy(plan, "rules", [VAULT]);
    return linked.length ? linked : plan.dependencies.filter((d) => d.type === VAULT);
  }

  /** The vault a rule writes to, or undefined when it is not in the stack or cannot be told yet. */
  ruleTarget(plan: PolicyResource, rule: any): PolicyResource | undefined {
    const linked = this.linkedVaults(plan);
    const name = known<string>(rule, "targetVaultName");
    if (typeof name === "string") {
      const byName = linked.find((v) => known(v.props, "name") === name);
      if (byName) return byName;
      const candidates = this.vaultsByName.get(name) ?? [];
      const planRegion = regionKey(plan).key;
      return candidates.find((v) => regionKey(v).key === planRegion) ?? candidates[0];
    }
    if (!isUnknownAt(rule, "targetVaultName")) return undefined;
    // Unknown name: the linked vault in the plan's own region, if there is exactly one.
    const planRegion = regionKey(plan).key;
    const local = linked.filter((v) => regionKey(v).key === planRegion);
    return local.length === 1 ? local[0] : undefined;
  }

  /** Copy actions of a rule with their destination vaults. */
  copies(plan: PolicyResource, rule: any): CopyLink[] {
    const raw = rawValue(rule, "copyActions");
    if (!Array.isArray(raw)) return [];
    const copies: any[] = rule.copyActions;
    const target = this.ruleTarget(plan, rule);
    const planRegion = regionKey(plan).key;
    return copies.map((copy, copyIndex) => {
      const arn = known<string>(copy, "destinationVaultArn");
      if (typeof arn === "string") {
        const name = vaultNameOfArn(arn);
        const arnRegion = regionOfArn(arn);
        const candidates = name ? this.vaultsByName.get(name) ?? [] : [];
        const vault = candidates.find((v) => !arnRegion || regionOf(v) === arnRegion) ?? (candidates.length === 1 ? candidates[0] : undefined);
        return { copyIndex, copy, vault, arnRegion };
      }
      // Unknown ARN: the linked vault that is not the rule's target, preferring other regions.
      const others = this.linkedVaults(plan).filter((v) => v !== target);
      const remote = others.filter((v) => regionKey(v).key !== planRegion);
      const pick = remote.length === 1 ? remote[0] : others.length === 1 ? others[0] : undefined;
      return { copyIndex, copy, vault: pick };
    });
  }

  /** Plans whose rules reference the vault (as target or copy destination). */
  plansLinkedTo(vault: PolicyResource): PolicyResource[] {
    const via = this.graph.referencing(vault, "rules", [PLAN]);
    const deps = this.graph.dependentsOf(vault, [PLAN]);
    return [...new Set([...via, ...deps])];
  }

  /** Vault lock configurations of a vault: linked through backupVaultName, else by known name. */
  locksOf(vault: PolicyResource): PolicyResource[] {
    const linked = this.graph.referencing(vault, "backupVaultName", [VAULT_LOCK]);
    if (linked.length) return [...linked];
    const name = known<string>(vault.props, "name");
    if (typeof name !== "string") return [];
    return this.graph.ofType(VAULT_LOCK).filter((l) => known(l.props, "backupVaultName") === name && regionKey(l).key === regionKey(vault).key);
  }

  /** The plan a selection belongs to (planId linked by URN). */
  planOfSelection(selection: PolicyResource): PolicyResource | undefined {
    const linked = this.graph.referencedBy(selection, "planId", [PLAN]);
    if (linked.length) return linked[0];
    return selection.dependencies.find((d) => d.type === PLAN);
  }

  /** Selections that select the data store (by URN link, ARN, wildcard, tag condition or selection tag). */
  selectionsCovering(store: PolicyResource): PolicyResource[] {
    const all = this.graph.ofType(SELECTION);
    if (all.length === 0) return [];
    // Tags first, as when every selection was tried: an unknown tag map defers the check even if no selection could match.
    const tags = this.tagsOf(store);
    const index = (this.selectionIndex ??= indexSelections(all, this.graph));
    const arn = known<string>(store.props, "arn");
    const hits = new Set<number>([...(index.byUrn.get(store.urn) ?? []), ...(typeof arn === "string" ? index.byArn.get(arn) ?? [] : []), ...index.general]);
    // Stack order, as callers derive message and rule order from it.
    return [...hits].sort((a, b) => a - b).map((i) => all[i]).filter((s) => selects(s, store, this.graph, tags));
  }

  private selectionIndex?: SelectionIndex;
  private readonly tagCache = new Map<string, Record<string, string>>();

  /** Effective tags once per resource: they merge provider defaults and tagsAll through the SDK's proxies. */
  private tagsOf(r: PolicyResource): Record<string, string> {
    let tags = this.tagCache.get(r.urn);
    if (!tags) this.tagCache.set(r.urn, (tags = effectiveTags(r)));
    return tags;
  }
}

/**
 * Candidate selections by how they can pick a store, positions in stack
 * order. A selection can only select a store through a URN link, a literal
 * ARN equal to the store's, a wildcard entry or a selection tag, so only
 * the last two kinds (few in practice) are tried against every store; the
 * rest are looked up, keeping the check linear in the stack.
 */
interface SelectionIndex {
  byUrn: Map<string, number[]>;
  byArn: Map<string, number[]>;
  general: number[];
}

function indexSelections(selections: readonly PolicyResource[], graph: StackGraph): SelectionIndex {
  const index: SelectionIndex = { byUrn: new Map(), byArn: new Map(), general: [] };
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  selections.forEach((s, i) => {
    for (const r of graph.referencedBy(s, "resources")) add(index.byUrn, r.urn, i);
    const tags = known<unknown[]>(s.props, "selectionTags");
    const resources = known<unknown[]>(s.props, "resources");
    let general = Array.isArray(tags) && tags.length > 0;
    if (Array.isArray(resources)) {
      for (let j = 0; j < resources.length; j++) {
        const entry = known<string>(resources, String(j));
        if (typeof entry !== "string") continue;
        if (entry.includes("*")) general = true;
        else add(index.byArn, entry, i);
      }
    }
    if (general) index.general.push(i);
  });
  return index;
}

/** Tags a resource ends up with: its own, tagsAll, and the provider's default tags. */
export function effectiveTags(r: PolicyResource): Record<string, string> {
  return { ...providerDefaultTags(r), ...tagsOf(r.props) };
}

const globCache = new Map<string, RegExp>();
function globMatch(pattern: string, value: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    globCache.set(pattern, re);
  }
  return re.test(value);
}

/** `aws:ResourceTag/<key>` -> key (AWS Backup condition keys). */
function tagKeyOfCondition(key: string): string {
  return key.replace(/^aws:ResourceTag\//i, "");
}

/**
 * True when the selection picks the store. AWS Backup: resources (ARNs or
 * patterns) AND every condition, OR any selectionTag (the tag list is
 * combined with OR, which is why wildcards and selectionTags do not mix).
 */
export function selects(selection: PolicyResource, store: PolicyResource, graph: StackGraph, tags: Record<string, string> = effectiveTags(store)): boolean {
  const props = selection.props;
  const selectionTags = known<any[]>(props, "selectionTags");
  if (Array.isArray(selectionTags)) {
    for (const t of selectionTags) {
      const key = known<string>(t, "key");
      const value = known<string>(t, "value");
      const type = String(known(t, "type") ?? "STRINGEQUALS").toUpperCase();
      if (typeof key === "string" && type === "STRINGEQUALS" && tags[key] !== undefined && tags[key] === value) return true;
    }
  }
  const linked = graph.referencedBy(selection, "resources").some((r) => r.urn === store.urn);
  const arn = known<string>(store.props, "arn");
  const resources = known<unknown[]>(props, "resources");
  let resourceMatch = linked;
  if (!resourceMatch && Array.isArray(resources)) {
    for (let i = 0; i < resources.length && !resourceMatch; i++) {
      const entry = known<string>(resources, String(i));
      if (typeof entry !== "string") continue;
      if (typeof arn === "string") resourceMatch = entry === arn || (entry.includes("*") && globMatch(entry, arn));
      else resourceMatch = entry === "*" || (entry.includes("*") && /:rds:/.test(entry) && /:db:/.test(entry));
    }
  }
  if (!resourceMatch) return false;
  return conditionsHold(props, tags);
}

function conditionsHold(props: Record<string, any>, tags: Record<string, string>): boolean {
  const conditions = known<any[]>(props, "conditions");
  if (!Array.isArray(conditions)) return true;
  for (const c of conditions) {
    const check = (kind: string, ok: (tag: string | undefined, value: string) => boolean) => {
      const list = known<any[]>(c, kind);
      if (!Array.isArray(list)) return true;
      return list.every((e) => {
        const key = known<string>(e, "key");
        const value = known<string>(e, "value");
        if (typeof key !== "string" || typeof value !== "string") return true;
        return ok(tags[tagKeyOfCondition(key)], value);
      });
    };
    if (!check("stringEquals", (t, v) => t === v)) return false;
    if (!check("stringLikes", (t, v) => t !== undefined && globMatch(v, t))) return false;
    if (!check("stringNotEquals", (t, v) => t !== v)) return false;
    if (!check("stringNotLikes", (t, v) => t === undefined || !globMatch(v, t))) return false;
  }
  return true;
}
