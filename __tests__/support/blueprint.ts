import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildBlueprint } from "../../stacks/blueprint";
import { loadEnvironment } from "../../stacks/config";
import type { TerraformJson } from "./synth";

/** Synthesizes every stack of a shipped environment as `npm run synth` does, and parses each by stack name. */
export function synthBlueprint(name: string): Record<string, TerraformJson> {
  const outdir = mkdtempSync(join(tmpdir(), `blueprint-${name}-`));
  try {
    const app = new App({ outdir });
    buildBlueprint(app, loadEnvironment(name));
    app.synth();
    const stacks: Record<string, TerraformJson> = {};
    for (const stack of readdirSync(join(outdir, "stacks"))) {
      stacks[stack] = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as TerraformJson;
    }
    return stacks;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The ARN of an IAM role a `${aws_iam_role.<id>.arn}` expression refers to, from the role's literal name in the
 * stack, for materializing policies; undefined for any other expression.
 */
export function roleArnOf(stack: TerraformJson, account: string, expression: string): string | undefined {
  const match = /^aws_iam_role\.([\w-]+)\.arn$/.exec(expression);
  const name = match ? stack.resource?.aws_iam_role?.[match[1]]?.name : undefined;
  return typeof name === "string" ? `arn:aws:iam::${account}:role/${name}` : undefined;
}
