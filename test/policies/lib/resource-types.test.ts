import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_POLICIES } from "../../../policies/registry";

const FAMILIES = new Set(["keys", "secrets", "database", "access", "network"]);
const ROOT = path.resolve(__dirname, "..", "..", "..", "node_modules");

/** The provider SDK module that registers a type token: "aws:kms/key:Key" -> @pulumi/aws/kms/*.js. */
function registered(token: string): boolean {
  const [pkg, mod] = token.split(":");
  const dir =
    pkg === "kubernetes"
      ? path.join(ROOT, "@pulumi", "kubernetes", ...mod.split("/"))
      : mod.startsWith("index/")
        ? path.join(ROOT, "@pulumi", pkg)
        : path.join(ROOT, "@pulumi", pkg, mod.split("/")[0]);
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir).filter((f) => f.endsWith(".js")).some((f) => {
    const src = fs.readFileSync(path.join(dir, f), "utf8");
    return src.includes(`"${token}"`) || src.includes(`'${token}'`);
  });
}

test("every resource type of the keys/secrets/database/access/network policies is a real provider token, never a component", () => {
  const mine = PACK_POLICIES.filter((p) => FAMILIES.has(p.meta.family));
  assert.ok(mine.length >= 25, `expected the five families' policies, got ${mine.length}`);
  for (const p of mine) {
    for (const t of p.resourceTypes) {
      assert.ok(!t.startsWith("duespark:"), `${p.meta.name}: ${t} is a component type`);
      assert.ok(registered(t), `${p.meta.name}: ${t} is not registered by the installed provider SDK`);
    }
  }
});

test("policy names are unique and each is listed once", () => {
  const names = PACK_POLICIES.map((p) => p.meta.name);
  assert.equal(new Set(names).size, names.length);
});
