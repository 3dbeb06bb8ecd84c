import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import {
  annotateSarif,
  applySuppressions,
  type CheckovReport,
  type CheckovResult,
  type SarifLog,
  toJUnit,
} from "../../policies/checkov-results";
import { checkovSkipsOf, ensureCheckov, runCheckov } from "../../policies/checkov-scan";
import { synthWithGuardrails } from "../../policies/guardrails/synth-app";
import type { CheckovSkip } from "../../policies/guardrails/evaluate";
import { buildBlueprint } from "../../stacks/blueprint";
import { ENVIRONMENTS } from "../../stacks/config";
import {
  INSECURE_NAMESPACES,
  PRIVILEGED_NAMESPACE_REASON,
  synthInsecureApp,
  synthSecureNamespacesApp,
  synthSuppressedApp,
} from "../fixtures/insecure-stacks";

/** checkov's JSON result, with the reasons our checks give. */
type DetailedResult = CheckovResult & { readonly details?: readonly string[] };

/** The resources (construct ids of the fixture) a check reported, sorted. */
const resourcesOf = (results: readonly CheckovResult[], checkId: string) =>
  results
    .filter((r) => r.check_id === checkId)
    .map((r) => r.resource.replace(/^resource\./, ""))
    .sort();

/**
 * Runs the real, pinned checkov: proves that the scan fails on insecure resources and that suppressions work. The
 * fixture apps are synthesized side by side and checkov runs once over all of them (its start-up is most of a run);
 * each case reads its app's results and applies its own skips, as a scan of that app alone would.
 */
describe("the checkov scan", () => {
  let dir: string;
  let address: string;
  let combined: CheckovReport;
  let suppressedReason: string;
  let natPlatform: Record<string, Record<string, Record<string, unknown>>>;
  let natExitCode: number;

  beforeAll(async () => {
    ensureCheckov(); // creates .venv on a fresh machine
    dir = mkdtempSync(join(tmpdir(), "blueprint-scan-"));
    const apps = join(dir, "apps");
    mkdirSync(apps);
    synthInsecureApp(join(apps, "app"));
    const json = JSON.parse(readFileSync(join(apps, "app", "stacks", "insecure", "cdk.tf.json"), "utf8"));
    address = `aws_kms_key.${Object.keys(json.resource.aws_kms_key)[0]}`;
    suppressedReason = synthSuppressedApp(join(apps, "suppressed"), join(dir, "suppressed-reports"));
    synthSecureNamespacesApp(join(apps, "namespaces"), join(dir, "namespaces-reports"));
    // The shipped environments use egress "none", which `npm run scan:all` covers; this covers the opt-out's
    // internet gateway, NAT gateways, Elastic IPs, public subnets and routes.
    const app = new App({ outdir: join(apps, "nat") });
    const prod = ENVIRONMENTS.prod;
    buildBlueprint(app, { ...prod, network: { ...prod.network, egress: "nat" } });
    natExitCode = synthWithGuardrails(app, { environment: "prod-nat", reportsDir: join(dir, "nat-reports") }).exitCode;
    natPlatform = JSON.parse(
      readFileSync(join(apps, "nat", "stacks", "platform-prod", "cdk.tf.json"), "utf8"),
    ).resource;
    combined = (await runCheckov(apps, join(dir, "reports"))).report;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The scan of one fixture app: its share of the combined run, with the given skips applied. */
  const scan = (skips: readonly CheckovSkip[], app = "app") => {
    const mine = (results: readonly CheckovResult[] = []) => results.filter((r) => r.file_path.startsWith(`/${app}/`));
    const report: CheckovReport = {
      ...combined,
      results: {
        passed_checks: mine(combined.results.passed_checks),
        failed_checks: mine(combined.results.failed_checks),
        skipped_checks: mine(combined.results.skipped_checks),
      },
    };
    return { outcome: applySuppressions(report, skips) };
  };
  const sarif = () => JSON.parse(readFileSync(join(dir, "reports", "results_sarif.sarif"), "utf8")) as SarifLog;

  it("fails a KMS key without rotation, a key policy open to everyone, a role any repository can assume, an unlocked model store, an open cluster, insecure namespaces and an open edge", () => {
    const { outcome } = scan([]);
    const failed = outcome.failed.map((f) => f.check_id).sort();
    // The cluster: public to 0.0.0.0/0, Secrets unencrypted, no control-plane logs; SSH to nodes; IMDSv1, hop 2.
    expect(failed).toEqual(
      expect.arrayContaining([
        "CKV_AWS_39",
        "CKV_AWS_38",
        "CKV_AWS_58",
        "CKV_AWS_37",
        "CKV_AWS_100",
        "CKV_AWS_79",
        "CKV_AWS_341",
      ]),
    );
    // The open edge: a method without authentication or key and without body validation, a stage without access
    // logs, tracing or WAF, a deployment and an API destroyed before their replacements, a public load balancer
    // without deletion protection or logs, a web ACL without rules (so no Log4j protection) and without logging.
    const edge = (id: string) =>
      outcome.failed
        .filter((f) => f.resource.endsWith(id))
        .map((f) => f.check_id)
        .sort();
    expect(edge("OpenPost")).toEqual(["CKV2_AWS_53", "CKV_AWS_59"]);
    expect(edge("OpenStage")).toEqual(expect.arrayContaining(["CKV2_AWS_29", "CKV_AWS_73", "CKV_AWS_76"]));
    expect(edge("OpenDeployment")).toEqual(["CKV_AWS_217"]);
    expect(edge("OpenApi")).toEqual(["CKV_AWS_237"]);
    expect(edge("PublicBalancer")).toEqual(expect.arrayContaining(["CKV_AWS_150", "CKV_AWS_91"]));
    expect(edge("EmptyWebAcl")).toEqual(["CKV2_AWS_31", "CKV_AWS_175", "CKV_AWS_192"]);
    // CKV_SMD_1 and CKV_SMD_2 are ours: checkov's CKV_AWS_33 cannot read a JSON-string key policy and passes this
    // one, and checkov has no Object Lock check.
    expect(failed).toEqual(expect.arrayContaining(["CKV_AWS_7", "CKV_SMD_1", "CKV_AWS_393", "CKV_SMD_2"]));
    expect(outcome.failed.filter((f) => f.check_id === "CKV_SMD_2").map((f) => f.resource)).toEqual([
      expect.stringMatching(/UnlockedModels/),
    ]);
    // CKV_SMD_3 and CKV_SMD_4 are ours too: checkov reads no Pod Security label and cannot join a namespace to its
    // NetworkPolicies. Each namespace is wrong in one way, fails only its check and says why.
    for (const [checkId, namespaces] of Object.entries(INSECURE_NAMESPACES)) {
      expect(resourcesOf(outcome.failed, checkId)).toEqual(Object.keys(namespaces).sort());
      for (const [id, reason] of Object.entries(namespaces)) {
        const result = outcome.failed.find((f) => f.check_id === checkId && f.resource === `resource.${id}`);
        expect((result as DetailedResult).details?.join(" | ")).toMatch(reason);
      }
    }
    expect(resourcesOf(outcome.passed, "CKV_SMD_3")).toEqual(Object.keys(INSECURE_NAMESPACES.CKV_SMD_4).sort());
    expect(resourcesOf(outcome.passed, "CKV_SMD_4")).toEqual(Object.keys(INSECURE_NAMESPACES.CKV_SMD_3).sort());
    expect(toJUnit(outcome, "checkov.fixture")).toMatch(
      /<failure message="Ensure rotation for customer created CMKs is enabled" type="CKV_AWS_7"\/>/,
    );
    expect(sarif().runs[0].results?.map((r) => r.ruleId)).toContain("CKV_AWS_7");
  }, 120_000);

  it("accepts a finding the register skips, with its reason in SARIF and JUnit, and reports unused skips", () => {
    const reason = "Fixture: proves that a register entry turns this one failure into an accepted, explained finding.";
    const skip = (resource: string): CheckovSkip => ({
      stack: "insecure",
      resource,
      checkId: "CKV_AWS_7",
      reason,
      suppression: `register suppression of CKV_AWS_7 on insecure/${resource}`,
      required: true,
    });
    const { outcome } = scan([skip(address), skip("aws_kms_key.Gone_12345678")]);
    expect(outcome.failed.map((f) => f.check_id)).not.toContain("CKV_AWS_7");
    expect(outcome.suppressed.map((s) => s.result.check_id)).toEqual(["CKV_AWS_7"]);
    expect(outcome.unusedSuppressions).toEqual([
      "register suppression of CKV_AWS_7 on insecure/aws_kms_key.Gone_12345678",
    ]);
    const log = sarif();
    annotateSarif(log, outcome.suppressed);
    const rotation = log.runs[0].results?.find((r) => r.ruleId === "CKV_AWS_7" && r.suppressions);
    expect(rotation?.suppressions).toEqual([{ kind: "external", status: "accepted", justification: reason }]);
    expect(toJUnit(outcome, "checkov.fixture")).toContain(`<skipped message="suppressed: ${reason}"/>`);
  }, 120_000);

  it("skips exactly what a guardrail suppression accepts: one register for guardrails and checkov", () => {
    const reason = suppressedReason;
    const skips = checkovSkipsOf(join(dir, "apps", "suppressed"));
    expect(skips).toEqual([expect.objectContaining({ checkId: "CKV_AWS_7", reason, required: false })]);
    const { outcome } = scan(skips, "suppressed");
    expect(outcome.failed).toEqual([]);
    expect(outcome.suppressed.map((s) => [s.result.check_id, s.skip.reason])).toEqual([["CKV_AWS_7", reason]]);
  }, 120_000);

  it("passes CKV_SMD_3 and CKV_SMD_4 for SecureNamespaces, and skips CKV_SMD_3 where the privileged level is accepted", () => {
    const { outcome } = scan(checkovSkipsOf(join(dir, "apps", "namespaces")), "namespaces");
    const ours = (results: readonly CheckovResult[]) =>
      results
        .filter((r) => r.check_id === "CKV_SMD_3" || r.check_id === "CKV_SMD_4")
        .map((r) => `${r.check_id} ${r.resource}`);
    expect(ours(outcome.failed)).toEqual([]);
    // smd-restricted has the DNS and VPC-endpoint allowances beside its default-deny policy: they do not count against it.
    expect(ours(outcome.passed).sort()).toEqual([
      expect.stringMatching(/^CKV_SMD_3 resource\.Restricted_Namespace_/),
      expect.stringMatching(/^CKV_SMD_4 resource\.NodeAgent_Namespace_/),
      expect.stringMatching(/^CKV_SMD_4 resource\.Restricted_Namespace_/),
    ]);
    expect(outcome.suppressed.map((s) => [s.result.check_id, s.result.resource, s.skip.reason])).toEqual([
      ["CKV_SMD_3", expect.stringMatching(/^resource\.NodeAgent_Namespace_/), PRIVILEGED_NAMESPACE_REASON],
    ]);
  }, 120_000);

  it("passes every check for an environment whose VPC reaches the internet through NAT gateways", () => {
    expect(natExitCode).toBe(0);
    expect(Object.keys(natPlatform.aws_nat_gateway)).toHaveLength(3);
    const { outcome } = scan(checkovSkipsOf(join(dir, "apps", "nat")), "nat");
    expect(outcome.failed.map((f) => `${f.check_id} ${f.resource}`)).toEqual([]);
    expect(outcome.passed.map((p) => p.check_id)).toEqual(expect.arrayContaining(["CKV_AWS_130", "CKV2_AWS_11"]));
    // The bootstrap's GitHub Actions roles are read by checkov's OIDC trust check, and pass it.
    const oidc = outcome.passed.filter((p) => p.check_id === "CKV_AWS_393" && p.file_path.includes("bootstrap"));
    expect(oidc.map((p) => p.resource).sort()).toEqual([
      expect.stringMatching(/ApplyRole/),
      expect.stringMatching(/ImagePublisherRole/),
      expect.stringMatching(/ModelPublisherRole/),
      expect.stringMatching(/PlanRole/),
    ]);
  }, 120_000);
});
