import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { defaultCheckovVenv, ensureCheckov } from "../../policies/checkov-scan";
import { recordOf } from "../../policies/guardrails/guardrails-record";
import { installedExample, node, PACKAGE_NAME, ROOT, stackJsons } from "../support/package";

/**
 * The examples as an app team gets them: each is copied out, the packed package installed into it (not a relative
 * import), type-checked strictly against the package's declaration files, synthesized with its own toolchain and
 * scanned by the package's own command; one insecure addition must then fail its synth, naming the rule.
 */
interface Example {
  /** How the example's `cdktf.json` runs the app. */
  readonly app: (dir: string) => string[];
  readonly stack: string;
  /** What the insecure variant adds to the stack, and the rule that must refuse it. */
  readonly insecure: { readonly imports: string; readonly add: string; readonly rule: RegExp };
}

const TS_NODE = join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
const TSC_7 = join(ROOT, "node_modules", "typescript", "bin", "tsc");

const EXAMPLES: Readonly<Record<string, Example & { config: string; stackClass: string }>> = {
  // `cdktf init --template=typescript` as generated: ts-node with TypeScript 5 (ts-node needs TypeScript's compiler
  // API, which TypeScript 7 no longer has) and the template's tsconfig.
  "team-data": {
    app: () => [TS_NODE, "main.ts"],
    stack: "churn-data-dev",
    config: "CHURN_DATA_DEV",
    stackClass: "TeamDataStack",
    insecure: {
      imports: 'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";',
      add: 'new S3Bucket(stack, "Public", { bucket: "churn-team-public-exports" });',
      rule: /SMD-S3-1 S3 buckets are never public/,
    },
  },
  "model-team": {
    app: () => ["--import", "tsx", "main.ts"],
    stack: "churn-model-dev",
    config: "CHURN_MODEL_DEV",
    stackClass: "ModelTeamStack",
    insecure: {
      imports: 'import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";',
      add: 'new IamRolePolicy(stack, "Everything", { role: stack.role.role.name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });',
      rule: /SMD-IAM-1 No policy allows every action on every resource/,
    },
  },
};

describe.each(Object.entries(EXAMPLES))("the example %s, installed from the packed package", (name, example) => {
  let dir: string;
  beforeAll(() => {
    ensureCheckov();
    dir = installedExample(name);
    // npm would have installed the example's own TypeScript 5 for ts-node; the project keeps it as typescript-5.
    if (name === "team-data") {
      symlinkSync(
        relative(join(dir, "node_modules"), join(ROOT, "node_modules", "typescript-5")),
        join(dir, "node_modules", "typescript"),
      );
    }
    // npm links the package's command into node_modules/.bin, as `npx secure-model-deployment-blueprint` finds it.
    mkdirSync(join(dir, "node_modules", ".bin"));
    symlinkSync(
      join("..", PACKAGE_NAME, "dist", "policies", "scan-command.js"),
      join(dir, "node_modules", ".bin", PACKAGE_NAME),
    );
  }, 240_000);

  it("type-checks with strict and skipLibCheck false against the package's declaration files", () => {
    const result = node(
      [TSC_7, "-p", "tsconfig.json", "--noEmit", "--strict", "--skipLibCheck", "false", "--incremental", "false"],
      dir,
    );
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);

  it("synthesizes with its own toolchain, every stack passing the guardrails, and the package's scan passes it", () => {
    const outdir = join(dir, "cdktf.out");
    const synth = node(example.app(dir), dir, { CDKTF_OUTDIR: outdir });
    expect([synth.status, synth.stderr]).toEqual([0, ""]);
    const records = Object.entries(stackJsons(outdir)).map(([stack, json]) => [stack, recordOf(json)?.status]);
    expect(records).toEqual([[example.stack, "passed"]]);
    const scan = node([join(dir, "node_modules", ".bin", PACKAGE_NAME), "scan"], dir, {
      SMD_CHECKOV_VENV: defaultCheckovVenv(),
    });
    expect(scan.stderr).toBe("");
    expect(scan.stdout).toMatch(
      /checkov app: \d+ passed, 0 failed, \d+ suppressed, 0 parsing errors; guardrails gate: every stack passed/,
    );
    expect(scan.status).toBe(0);
  }, 120_000);

  it("fails its synth, naming the rule, when one insecure resource is added", () => {
    writeFileSync(
      join(dir, "insecure.ts"),
      [
        'import { App } from "cdktf";',
        example.insecure.imports,
        `import { ${example.config}, STACK_ID } from "./config";`,
        `import { ${example.stackClass} } from "./stack";`,
        "",
        "const app = new App();",
        `const stack = new ${example.stackClass}(app, STACK_ID, ${example.config});`,
        example.insecure.add,
        "app.synth();",
        "",
      ].join("\n"),
    );
    const synth = node(["--import", "tsx", "insecure.ts"], dir, { CDKTF_OUTDIR: join(dir, "insecure.out") });
    expect(synth.status).not.toBe(0);
    expect(synth.stderr).toMatch(example.insecure.rule);
  }, 60_000);
});
