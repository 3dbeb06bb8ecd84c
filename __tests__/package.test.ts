import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultCheckovVenv, ensureCheckov, guardrailsGate } from "../policies/checkov-scan";
import { recordOf } from "../policies/guardrails/guardrails-record";
import { satisfies } from "../policies/peer-versions";
import {
  directoryInstalledApp,
  freshApp,
  node,
  PACKAGE_NAME,
  PEERS,
  packedTarball,
  ROOT,
  run,
  stackJsons,
} from "./support/package";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** An app with a public, unencrypted bucket and an `Allow *:*` policy, guarded and with the permissions boundary. */
const INSECURE_APP = `
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");
const { IamRole } = require("@cdktf/provider-aws/lib/iam-role");
const { IamRolePolicy } = require("@cdktf/provider-aws/lib/iam-role-policy");
const { Guardrails, PermissionsBoundary } = require("${PACKAGE_NAME}");

const app = new App({ skipValidation: process.env.SKIP_VALIDATION === "1" });
const stack = new TerraformStack(app, "team");
new AwsProvider(stack, "aws", {
  region: "eu-west-1",
  allowedAccountIds: ["111122223333"],
  defaultTags: [{ tags: { Owner: "team@example.com", DataClassification: "internal" } }],
});
Guardrails.applyTo(stack);
PermissionsBoundary.applyTo(stack, "arn:aws:iam::111122223333:policy/boundary");
new S3Bucket(stack, "Public", { bucket: "team-public-data" });
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" },
  Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }] };
const role = new IamRole(stack, "Role", { name: "team-role", assumeRolePolicy: JSON.stringify(trust) });
new IamRolePolicy(stack, "Admin", { role: role.name,
  policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
app.synth();
`;

describe("the package", () => {
  it("declares its entry points, its command and the peer ranges its tests run", () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version} `);
    expect(Object.keys(manifest.exports)).toEqual([".", "./constructs", "./policies", "./package.json"]);
    expect(manifest.bin).toEqual({ [PACKAGE_NAME]: "./dist/policies/scan-command.js" });
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...PEERS].sort());
    for (const [peer, range] of Object.entries(manifest.peerDependencies as Record<string, string>)) {
      // The lower bound is the version the tests run with (the pinned devDependency), which lies in the range.
      const tested = manifest.devDependencies[peer];
      expect([peer, range.split(" ")[0]]).toEqual([peer, `>=${tested}`]);
      const installed = JSON.parse(readFileSync(join(ROOT, "node_modules", peer, "package.json"), "utf8")).version;
      expect([peer, installed, satisfies(installed, range)]).toEqual([peer, tested, true]);
    }
    // The examples ask for the same ranges.
    for (const example of ["team-data", "model-team"]) {
      const dependencies = JSON.parse(
        readFileSync(join(ROOT, "examples", example, "package.json"), "utf8"),
      ).dependencies;
      for (const peer of PEERS)
        expect([example, peer, dependencies[peer]]).toEqual([example, peer, manifest.peerDependencies[peer]]);
      expect(dependencies[PACKAGE_NAME]).toBe(`^${manifest.version}`);
    }
  });

  it("packs JavaScript and declaration files, the scan's checkov assets, the app-team guide and its examples; no source, test or report", () => {
    const files = run("tar", ["-tzf", packedTarball()], ROOT)
      .stdout.trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "CHANGELOG.md",
        "docs/app-teams.md",
        "docs/controls.md",
        "examples/team-data/stack.ts",
      ]),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/index.js",
        "dist/index.d.ts",
        "dist/constructs/index.js",
        "dist/constructs/index.d.ts",
        "dist/policies/index.js",
        "dist/policies/scan-command.js",
        "dist/policies/checkov/requirements.txt",
        "dist/policies/checkov/constraints.txt",
        "dist/policies/checkov/config.yaml",
        "dist/policies/checkov/checks/namespace_default_deny.py",
        "dist/constructs/kubernetes/verify-model.sh",
      ]),
    );
    const unexpected = files.filter(
      (f) =>
        !["package.json", "README.md", "CHANGELOG.md", "docs/app-teams.md", "docs/controls.md"].includes(f) &&
        !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
        !/^dist\/policies\/checkov\/(config\.yaml|requirements\.txt|constraints\.txt|checks\/\w+\.py)$/.test(f) &&
        f !== "dist/constructs/kubernetes/verify-model.sh" &&
        !/^examples\/(README\.md|(team-data|model-team)\/(README\.md|\w+\.ts|\w+\.json))$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /__tests__|fixtures|iam-simulation|stacks\/|scripts\/|reports\//.test(f))).toEqual([]);
  });

  it("passes npm's own publish check", () => {
    const result = run("npm", ["publish", "--dry-run", "--json", packedTarball()], ROOT);
    const published = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")))[PACKAGE_NAME];
    expect(published).toEqual(expect.objectContaining({ name: PACKAGE_NAME, version: manifest.version }));
  }, 60_000);

  describe("in a fresh app (npm init -y, the peers, the tarball)", () => {
    let app: string;
    beforeAll(() => {
      app = freshApp("tarball");
    }, 240_000);

    it("loads with require and with import, by its entry points only, without a provider's barrel", () => {
      const cjs = node(
        [
          "-e",
          `const lib = require("${PACKAGE_NAME}"); require("${PACKAGE_NAME}/constructs"); require("${PACKAGE_NAME}/policies");
           const barrels = Object.keys(require.cache).filter((m) => /provider-(aws|kubernetes)\\/lib\\/index\\.js$/.test(m));
           console.log(JSON.stringify({ guardrails: typeof lib.Guardrails, bucket: typeof lib.SecureBucket, barrels }));`,
        ],
        app,
      );
      expect([cjs.status, cjs.stderr]).toEqual([0, ""]);
      expect(JSON.parse(cjs.stdout)).toEqual({ guardrails: "function", bucket: "function", barrels: [] });
      const esm = node(
        [
          "--input-type=module",
          "-e",
          `import { Guardrails, ModelStore } from "${PACKAGE_NAME}"; import { KmsKey } from "${PACKAGE_NAME}/constructs";
           import { synthWithGuardrails } from "${PACKAGE_NAME}/policies";
           console.log([Guardrails, ModelStore, KmsKey, synthWithGuardrails].map((x) => typeof x).join(" "));`,
        ],
        app,
      );
      expect([esm.status, esm.stderr, esm.stdout.trim()]).toEqual([0, "", "function function function function"]);
      const deep = node(["-e", `require("${PACKAGE_NAME}/dist/constructs/storage/model-store")`], app);
      expect(deep.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    });

    it("fails the synth of a stack with a public, unencrypted bucket and an Allow *:* policy, naming the rules", () => {
      writeFileSync(join(app, "insecure.js"), INSECURE_APP);
      const synth = node(["insecure.js"], app, { CDKTF_OUTDIR: join(app, "out") });
      expect(synth.status).toBe(1);
      expect(synth.stderr).toMatch(/\[team\/Public\] SMD-S3-1 S3 buckets are never public/);
      expect(synth.stderr).toMatch(/SMD-IAM-1 No policy allows every action on every resource/);
    });

    it("leaves a record the scan refuses when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS lets the synth finish", () => {
      ensureCheckov();
      const outdir = join(app, "continued.out");
      const synth = node(["insecure.js"], app, {
        CDKTF_OUTDIR: outdir,
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      });
      expect(synth.status).toBe(0);
      const json = stackJsons(outdir).team;
      expect(recordOf(json)?.status).toBe("failed");
      // The boundary reached the app's own role, made by the app's copy of the provider bindings.
      const roles = Object.values(
        (json.resource as Record<string, Record<string, Record<string, unknown>>>).aws_iam_role,
      );
      expect(roles.map((r) => r.permissions_boundary)).toEqual(["arn:aws:iam::111122223333:policy/boundary"]);
      // `npm run scan` on that output: refused, the way around named.
      const scan = node(["--import", "tsx", join(ROOT, "scripts", "scan.ts")], ROOT, {
        CDKTF_OUTDIR: outdir,
        SMD_CHECKOV_VENV: defaultCheckovVenv(),
      });
      expect(scan.status).toBe(1);
      expect(scan.stderr).toMatch(
        /REFUSED: stack team: \d+ guardrail error\(s\) \(SMD-IAM-1, .*SMD-S3-1.*\) were let through: .*CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS/,
      );
    }, 120_000);

    it("leaves a record the scan refuses when the app skips validation", () => {
      const outdir = join(app, "skipped.out");
      const synth = node(["insecure.js"], app, { CDKTF_OUTDIR: outdir, SKIP_VALIDATION: "1" });
      expect(synth.status).toBe(0);
      expect(guardrailsGate(outdir)).toEqual([
        expect.stringMatching(/stack team: the guardrails were applied but never ran: .*skipValidation/),
      ]);
    });
  });

  describe("installed as a directory (a second physical copy of cdktf beside the app's)", () => {
    let app: string;
    beforeAll(() => {
      app = directoryInstalledApp("directory");
      writeFileSync(join(app, "insecure.js"), INSECURE_APP);
    }, 240_000);

    it("holds two copies of cdktf in one process", () => {
      const library = realpathSync(join(app, "node_modules", PACKAGE_NAME));
      const where = node(
        [
          "-e",
          `console.log(JSON.stringify([require.resolve("cdktf"), require.resolve("cdktf", { paths: [${JSON.stringify(library)}] })]))`,
        ],
        app,
      );
      const [own, libraries] = JSON.parse(where.stdout) as string[];
      expect(own).toBe(join(ROOT, "node_modules", "cdktf", "lib", "index.js"));
      expect(libraries).toBe(join(library, "node_modules", "cdktf", "lib", "index.js"));
    });

    it("still fails the insecure synth naming SMD-S3-1, and still gives the app's roles the boundary", () => {
      const synth = node(["insecure.js"], app, { CDKTF_OUTDIR: join(app, "out") });
      expect(synth.status).toBe(1);
      expect(synth.stderr).toMatch(/\[team\/Public\] SMD-S3-1 S3 buckets are never public/);
      const outdir = join(app, "continued.out");
      node(["insecure.js"], app, { CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true" });
      const json = stackJsons(outdir).team;
      expect(recordOf(json)?.status).toBe("failed");
      const roles = Object.values(
        (json.resource as Record<string, Record<string, Record<string, unknown>>>).aws_iam_role,
      );
      expect(roles.map((r) => r.permissions_boundary)).toEqual(["arn:aws:iam::111122223333:policy/boundary"]);
    });
  });

  it("refuses, when it loads, a cdktf outside its peer range with one clear error, before anything crashes", () => {
    const app = freshApp("old-cdktf");
    // cdktf 0.20, as an app that ignored npm's peer warning has it: loading it would be the first sign of trouble.
    mkdirSync(join(app, "node_modules", "cdktf"));
    writeFileSync(
      join(app, "node_modules", "cdktf", "package.json"),
      JSON.stringify({ name: "cdktf", version: "0.20.12", main: "index.js" }),
    );
    writeFileSync(join(app, "node_modules", "cdktf", "index.js"), 'throw new Error("cdktf 0.20 was loaded");');
    const load = node(["-e", `require("${PACKAGE_NAME}")`], app);
    expect(load.status).toBe(1);
    expect(load.stderr).toContain(
      `${PACKAGE_NAME} cannot run with these dependencies:\n  - cdktf 0.20.12 is installed, and ${PACKAGE_NAME} ${manifest.version} works with ${manifest.peerDependencies.cdktf} only`,
    );
    expect(load.stderr).not.toContain("cdktf 0.20 was loaded");
  });
});
