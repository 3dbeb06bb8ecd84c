import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { GuardrailsReport } from "../../policies/guardrails/guardrails-report";
import type { BackendMode } from "../../stacks/blueprint-stack";
import { buildBlueprint } from "../../stacks/blueprint";
import { ENVIRONMENTS, loadEnvironment } from "../../stacks/config";
import type { TerraformJson } from "../support/synth";

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes every stack of an environment the way `npm run synth` does, into a fresh folder. */
function synthEnvironment(name: string, backend: BackendMode = "s3") {
  const outdir = mkdtempSync(join(tmpdir(), `blueprint-${name}-`));
  outdirs.push(outdir);
  const app = new App({ outdir });
  buildBlueprint(app, loadEnvironment(name), { backend });
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[] }>;
  };
  const stacks: Record<string, TerraformJson> = {};
  const raw: Record<string, string> = {};
  for (const stack of readdirSync(join(outdir, "stacks"))) {
    raw[stack] = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
    stacks[stack] = JSON.parse(raw[stack]) as TerraformJson;
  }
  return { outdir, manifest, stacks, raw, guardrails: GuardrailsReport.of(app) };
}

/** One synth per environment, shared by the tests that only read it. */
const synthesized = new Map<string, ReturnType<typeof synthEnvironment>>();
function synthOnce(name: string) {
  if (!synthesized.has(name)) synthesized.set(name, synthEnvironment(name));
  return synthesized.get(name)!;
}

describe.each(Object.keys(ENVIRONMENTS))("the %s environment", (name) => {
  const env = ENVIRONMENTS[name];
  const { manifest, stacks } = synthOnce(name);

  it("synthesizes a bootstrap, a baseline, a platform and a workloads stack, each with a cdk.tf.json", () => {
    const all = ["baseline", "bootstrap", `platform-${name}`, `workloads-${name}`];
    expect(Object.keys(stacks).sort()).toEqual(all);
    expect(Object.keys(manifest.stacks).sort()).toEqual(all);
  });

  it("deploys the bootstrap, then the baseline, then the platform, then the workloads", () => {
    expect(manifest.stacks.baseline.dependencies).toEqual(["bootstrap"]);
    expect(manifest.stacks[`platform-${name}`].dependencies).toEqual(["baseline"]);
    expect(manifest.stacks[`workloads-${name}`].dependencies).toEqual([`platform-${name}`]);
  });

  it.each(["bootstrap", "baseline", `platform-${name}`, `workloads-${name}`])(
    "keeps %s's state in S3, encrypted with a customer key and natively locked",
    (stack) => {
      const backend = (stacks[stack].terraform as { backend: Record<string, Record<string, unknown>> }).backend;
      expect(backend).toEqual({
        s3: {
          bucket: env.state.bucket,
          key: `${env.state.keyPrefix}/${stack}.tfstate`,
          region: env.state.region,
          encrypt: true,
          kms_key_id: env.state.kmsKeyId,
          use_lockfile: true,
        },
      });
      expect(backend.s3).not.toHaveProperty("dynamodb_table");
    },
  );

  it.each(["bootstrap", "baseline", `platform-${name}`])(
    "tags everything in %s through the provider's default_tags",
    (stack) => {
      const [provider] = stacks[stack].provider?.aws ?? [];
      expect(provider.region).toBe(env.region);
      expect((provider.default_tags as { tags: Record<string, string> }[])[0].tags).toEqual({
        Project: "secure-model-deployment",
        Environment: name,
        Owner: env.tags.owner,
        DataClassification: env.tags.dataClassification,
        CostCentre: env.tags.costCentre,
        ManagedBy: "cdktf",
        Stack: stack,
      });
    },
  );

  it("never sets terraform.required_version (checkov's terraform_json parser crashes on it)", () => {
    for (const json of Object.values(stacks)) expect(json.terraform).not.toHaveProperty("required_version");
  });

  it("blocks public S3 access for the whole account in the baseline", () => {
    const blocks = Object.values(stacks.baseline.resource?.aws_s3_account_public_access_block ?? {});
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("watches the account from the baseline: GuardDuty, the audit trail, alerts and the account guardrails", () => {
    const baseline = (type: string) => Object.values(stacks.baseline.resource?.[type] ?? {});
    expect(baseline("aws_guardduty_detector")).toHaveLength(1);
    expect(baseline("aws_guardduty_detector_feature")).toHaveLength(4);
    expect(baseline("aws_cloudtrail")).toEqual([
      expect.objectContaining({ name: `${env.namePrefix}-audit-trail`, is_multi_region_trail: true }),
    ]);
    const dataEvents = JSON.stringify(baseline("aws_cloudtrail")[0].advanced_event_selector);
    expect(dataEvents).toContain(`arn:aws:s3:::${env.modelStore.bucketName}/`);
    expect(baseline("aws_cloudwatch_event_rule").filter((r) => r.region === undefined)).toHaveLength(7);
    expect(baseline("aws_sns_topic_subscription").map((s) => s.endpoint)).toEqual(env.detection.alertEmails);
    for (const type of ["aws_ebs_encryption_by_default", "aws_accessanalyzer_analyzer", "aws_securityhub_account"]) {
      expect([type, baseline(type).length]).toEqual([type, 1]);
    }
    expect(baseline("aws_config_configuration_recorder_status")).toEqual([
      expect.objectContaining({ is_enabled: true }),
    ]);
    expect(Object.keys(stacks.baseline.output ?? {}).sort()).toEqual([
      "audit_trail_arn",
      "ebs_default_key_arn",
      "guardduty_detector_id",
      "security_alert_topic_arn",
    ]);
    // Every object uploaded to the model store is scanned for malware.
    const platform = (type: string) => Object.values(stacks[`platform-${name}`].resource?.[type] ?? {});
    expect(platform("aws_guardduty_malware_protection_plan")).toEqual([
      expect.objectContaining({ protected_resource: [{ s3_bucket: [{ bucket_name: env.modelStore.bucketName }] }] }),
    ]);
  });

  it("encrypts the platform's log groups with a rotating, protected customer key", () => {
    const keys = Object.values(stacks[`platform-${name}`].resource?.aws_kms_key ?? {}).filter((k) =>
      String(k.description).startsWith("CloudWatch Logs"),
    );
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: env.keyDeletionWindowInDays,
      lifecycle: { prevent_destroy: true },
    });
    const aliases = Object.values(stacks[`platform-${name}`].resource?.aws_kms_alias ?? {}).map((a) => a.name);
    expect(aliases).toContain(`alias/${env.namePrefix}-logs`);
    for (const group of Object.values(stacks[`platform-${name}`].resource?.aws_cloudwatch_log_group ?? {})) {
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.LogsKey_\w+\.arn\}$/);
    }
  });

  it("isolates the platform in a VPC with no way out to the internet, flow logs and every endpoint", () => {
    const platform = stacks[`platform-${name}`];
    const resources = (type: string) => Object.values(platform.resource?.[type] ?? {});
    expect(resources("aws_vpc")).toEqual([expect.objectContaining({ cidr_block: env.vpcCidr })]);
    expect(
      resources("aws_subnet")
        .map((s) => s.availability_zone)
        .sort(),
    ).toEqual([...env.availabilityZones, ...env.availabilityZones].sort());
    for (const type of ["aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route"]) {
      expect([type, resources(type)]).toEqual([type, []]);
    }
    for (const table of [...resources("aws_route_table"), ...resources("aws_default_route_table")]) {
      expect(table.route ?? []).toEqual([]);
    }
    expect(resources("aws_vpc_endpoint")).toHaveLength(13);
    expect(resources("aws_flow_log")).toEqual([expect.objectContaining({ traffic_type: "ALL" })]);
    expect(resources("aws_cloudwatch_log_group")).toContainEqual(
      expect.objectContaining({
        name: `/${env.namePrefix}/vpc-flow-logs`,
        retention_in_days: env.network.flowLogRetentionInDays,
        kms_key_id: expect.any(String),
      }),
    );
  });

  it("outputs what other stacks and teams need from the network, the model store, the registry and the cluster", () => {
    const outputs = Object.keys(stacks[`platform-${name}`].output ?? {}).sort();
    // The workloads stack's one input: the cluster's name (cdktf's sensitive cross-stack output).
    const crossStack = outputs.filter((o) => o.startsWith("cross-stack-output-"));
    expect(crossStack).toEqual([expect.stringMatching(/^cross-stack-output-aws_eks_cluster\w+name$/)]);
    expect(outputs.filter((o) => !crossStack.includes(o))).toEqual(
      [
        "api_id",
        "api_invoke_url",
        "api_name",
        "usage_plan_ids",
        "model_store_name",
        ...(env.edge.authorization === "cognito" ? ["token_endpoint"] : []),
        "load_balancer_arn",
        "cluster_arn",
        "cluster_name",
        ...env.models.map((m) => `model_role_arn_${m.name.replaceAll("-", "_")}`),
        "node_security_group_id",
        "endpoint_security_group_id",
        "isolated_subnet_ids",
        "logs_key_arn",
        "model_signing_key_arn",
        "model_store_bucket",
        "model_store_key_arn",
        ...(env.modelStore.replicaRegion ? ["model_store_replica_bucket"] : []),
        "private_subnet_ids",
        "registry_uri_prefix",
        "s3_gateway_endpoint_id",
        "vpc_cidr",
        "vpc_id",
      ].sort(),
    );
  });

  it("holds no credential or token anywhere", () => {
    const text = JSON.stringify(stacks);
    expect(text).not.toMatch(/access_key|secret_key|"token"/);
  });
});

describe("every environment's resources", () => {
  const all = Object.keys(ENVIRONMENTS).flatMap((name) => Object.values(synthOnce(name).stacks));

  it("every KMS key is protected from destroy and keeps AWS's lockout check; every encryption key rotates", () => {
    const keys = all.flatMap((json) => Object.values(json.resource?.aws_kms_key ?? {}));
    expect(keys.length).toBeGreaterThan(0);
    // AWS rotates symmetric keys only: the model signing keys (SIGN_VERIFY) are rotated by replacement.
    const signing = keys.filter((k) => k.key_usage === "SIGN_VERIFY");
    expect(signing).toHaveLength(Object.keys(ENVIRONMENTS).length);
    for (const key of signing)
      expect(key).toMatchObject({ customer_master_key_spec: "ECC_NIST_P256", enable_key_rotation: false });
    for (const key of keys) {
      expect(key).toMatchObject({
        enable_key_rotation: key.key_usage !== "SIGN_VERIFY",
        bypass_policy_lockout_safety_check: false,
        lifecycle: { prevent_destroy: true },
      });
    }
  });
});

describe("synthesis", () => {
  it("is deterministic: two synths give byte-identical JSON", () => {
    const first = synthEnvironment("prod");
    const second = synthEnvironment("prod");
    expect(Object.keys(second.raw)).toEqual(Object.keys(first.raw));
    for (const stack of Object.keys(first.raw)) expect(second.raw[stack]).toBe(first.raw[stack]);
  });

  it("switches every stack to local state for trying things out", () => {
    const { stacks } = synthEnvironment("dev", "local");
    for (const [stack, json] of Object.entries(stacks)) {
      expect((json.terraform as { backend: unknown }).backend).toEqual({
        local: { path: `terraform.${stack}.tfstate` },
      });
    }
  });

  describe.each(Object.keys(ENVIRONMENTS))("the guardrails on environment %s", (name) => {
    it("run on every stack and find no error", () => {
      const { guardrails, manifest } = synthOnce(name);
      expect(guardrails.stacks.map((s) => s.stack).sort()).toEqual(Object.keys(manifest.stacks).sort());
      expect(guardrails.errors.map((f) => f.message)).toEqual([]);
      // Every stack is checked for real: provider, backend and every resource.
      for (const stack of guardrails.stacks) expect(stack.evaluations.length).toBeGreaterThan(5);
    });

    it("warn only that an environment without an account ID cannot pin the provider to it", () => {
      const { guardrails } = synthOnce(name);
      const expected = loadEnvironment(name).accountId ? [] : ["SMD-TF-3", "SMD-TF-3", "SMD-TF-3", "SMD-TF-3"];
      expect(guardrails.warnings.map((f) => f.ruleId)).toEqual(expected);
    });
  });
});
