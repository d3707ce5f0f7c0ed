/**
 * The whole program under mocks, re-run per call: index.ts and the project
 * modules are loaded afresh each time, so one test file can plan several
 * regions or roles.
 */
import * as path from "path";
import { MockedRun, ROOT, runMocked } from "../support/mocks";
import { plainInputs } from "../../tools/preview/engine";
import type { CapturedResource } from "../../tools/preview/engine";

function purgeProjectModules(): void {
  for (const id of Object.keys(require.cache)) {
    if (id.startsWith(ROOT) && !id.includes(`${path.sep}node_modules${path.sep}`) && !id.includes(`${path.sep}test${path.sep}`) && !id.includes(`${path.sep}tools${path.sep}`)) delete require.cache[id];
  }
}

export async function runProgram(opts: { stack: string; preview: boolean; overrides?: Record<string, string> }): Promise<MockedRun> {
  return runMocked(() => {
    purgeProjectModules();
    return require(path.join(ROOT, "index.ts"));
  }, opts);
}

/** Region a captured AWS resource lives in: own `region` input, explicit provider's region, or the stack's. */
export function regionOfResource(run: MockedRun, r: CapturedResource, stackRegion: string): string {
  const own = plainInputs(r.inputs).region;
  if (typeof own === "string" && own) return own;
  if (r.provider) {
    const p = run.resources.find((x) => `${x.urn}::${x.id}` === r.provider);
    const region = p ? plainInputs(p.inputs).region : undefined;
    if (typeof region === "string") return region;
  }
  return stackRegion;
}
