/** Pod templates of Kubernetes workloads as the workload policies read them. */
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
export const WORKLOAD_TYPES = [DEPLOYMENT, STATEFUL_SET] as const;

export interface ContainerRef {
  container: any;
  /** "container api" / "init container migrate" for messages. */
  label: string;
  init: boolean;
}

export function podSpec(props: Record<string, any>): any {
  return props.spec?.template?.spec;
}

/** App containers, and init containers when asked for. */
export function containersOf(props: Record<string, any>, withInit: boolean): ContainerRef[] {
  const spec = podSpec(props);
  if (!spec) return [];
  const out: ContainerRef[] = [];
  const add = (list: any[] | undefined, init: boolean) =>
    (list ?? []).forEach((c: any, i: number) => out.push({ container: c, init, label: `${init ? "init container" : "container"} ${c.name ?? `#${i + 1}`}` }));
  add(spec.containers, false);
  if (withInit) add(spec.initContainers, true);
  return out;
}
