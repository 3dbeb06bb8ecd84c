import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTROL_LAYERS, CONTROLS, type Control } from "../../../policies/guardrails/controls";
import { toControlsCatalog } from "../../../policies/guardrails/reports";
import { SecureModelDeployment } from "../../../policies/guardrails/secure-model-deployment";
import { RULE_FIXTURES } from "../../fixtures/guardrail-fixtures";

const ROOT = join(__dirname, "..", "..", "..");
const controls = [...CONTROLS.values()];
const rules = SecureModelDeployment.rules;

/**
 * Every item of every list of the source design, in its words: each must be answered by a control, and no control
 * may quote words the design does not hold.
 */
const DESIGN_ITEMS: readonly string[] = [
  // What secure deployment secures, the AI-specific risks and the example threat surface.
  "Training data pipelines",
  "Model artifacts and weights",
  "Inference endpoints (REST, gRPC)",
  "CI/CD and MLOps workflows",
  "Infrastructure (containers, Kubernetes, serverless)",
  "Monitoring and logging systems",
  "Data risk (PII, PHI, financial records)",
  "Model risk (model theft, inversion attacks, poisoning)",
  "Prompt injection (for LLMs)",
  "Adversarial attacks (evasion, data drift exploitation)",
  "S3 buckets storing model artifacts",
  "Docker images in ECR",
  "Kubernetes RBAC configurations",
  "IAM roles",
  "API authentication",
  "Logging systems",
  "External data integrations",
  // Why it matters.
  "Model theft",
  "Data leakage via inference APIs",
  "Operational downtime",
  "Your models represent months of R&D",
  "Treat them like crown jewels.",
  // The five layers and the diagram.
  "Data Layer (ETL, storage, feature stores)",
  "Model Layer (training, versioning, artifacts)",
  "Governance Layer (monitoring, audit, compliance)",
  "[API Gateway + WAF]",
  "[Auth Service]",
  "[Rate Limiter]",
  "[Inference Service (Containerized)]",
  "[Model Registry]",
  "[Encrypted Storage + Logging + SIEM]",
  // Zero trust.
  "never trust, always verify",
  "Mutual TLS (mTLS) between services",
  "Short-lived IAM tokens",
  "Role-based access control (RBAC)",
  "Network segmentation (VPC isolation)",
  "model-reader",
  // Registry.
  "MLflow",
  "AWS SageMaker Model Registry",
  "Google Vertex AI Model Registry",
  "Artifact encryption (AES-256 at rest)",
  "Signed model versions",
  "Access logs",
  "If someone modifies a model artifact without authorization, your pipeline should fail.",
  // Data pipelines.
  "Most AI security incidents originate in data pipelines.",
  "TLS 1.3 in transit",
  "AES-256 encryption at rest",
  "Column-level encryption for PII",
  "IAM policies with least privilege",
  "Example IAM policy for S3",
  "Validate input data sources.",
  "Use anomaly detection before training.",
  "Version datasets (e.g., DVC).",
  "Implement data lineage tracking.",
  "Add noise during training.",
  "Use privacy budgets (epsilon values).",
  // APIs.
  "OAuth 2.0 / OIDC",
  "API keys with rotation",
  "JWT validation",
  "Model scraping",
  "Brute-force attacks",
  "Inference cost abuse",
  "NGINX rate limiting",
  "Cloudflare WAF",
  "API Gateway throttling",
  "Output rounding",
  "Query limits",
  "Response watermarking",
  "Randomized response strategies",
  // Containers, Kubernetes, IaC.
  "Use minimal base images (Alpine, Distroless)",
  "Scan images with Trivy or Clair",
  "Avoid root users",
  "PodSecurityPolicies (or Pod Security Standards)",
  "NetworkPolicies",
  "Secrets management via Kubernetes Secrets or HashiCorp Vault",
  "Checkov",
  "tfsec",
  // Monitoring and drift.
  "API traffic anomalies",
  "Prediction drift",
  "Data drift",
  "Unauthorized access attempts",
  "Latency spikes",
  "Prometheus + Grafana",
  "ELK Stack",
  "Datadog",
  "AWS GuardDuty",
  "Kolmogorov-Smirnov test",
  "PSI (Population Stability Index)",
  "If PSI > 0.25, retraining may be required.",
  // Compliance and governance.
  "GDPR (EU)",
  "HIPAA (US healthcare)",
  "SOC 2",
  "ISO 27001",
  "EU AI Act",
  "Maintain model documentation (model cards)",
  "Log decision explanations",
  "Implement bias testing",
  "Maintain audit trails",
  "OECD AI Principles",
  "NIST AI Risk Management Framework",
  // The author's process.
  "Threat modeling workshops",
  "Secure MLOps pipeline design",
  "Infrastructure hardening (AWS, Azure, GCP)",
  "Compliance alignment (SOC 2, GDPR)",
  "Continuous monitoring integration",
  // Common mistakes.
  "Treating AI security as an afterthought.",
  "Exposing model endpoints without authentication.",
  "Ignoring data lineage and versioning.",
  "Using overly permissive IAM roles.",
  "Skipping penetration testing.",
  "Failing to monitor model drift.",
  "Hardcoding API keys in repositories.",
  // Pro tips.
  "Apply Zero Trust networking principles.",
  "Version everything—models, datasets, configs.",
  "Use automated security scans in CI/CD.",
  "Implement canary deployments for new models.",
  "Maintain model explainability logs.",
  "Rotate secrets every 60–90 days.",
  "Run adversarial testing quarterly.",
  "Document your threat model.",
  // Future trends.
  "Confidential AI using hardware-based TEEs (Trusted Execution Environments).",
  "Homomorphic encryption for secure inference.",
  "Automated AI red-teaming platforms.",
  "Stronger regulatory enforcement under EU AI Act.",
  "AI supply chain security standards.",
  "Widespread adoption of AI SBOMs (Software Bill of Materials).",
  // FAQ.
  "API rate limiting",
  "output obfuscation",
  "authentication",
  "encrypted storage",
  "restricted model registry access",
  "At least annually, with quarterly security reviews for high-risk systems.",
  "prompt validation",
  "output filtering",
  "rate limiting",
  "strong access controls",
  "Vault",
  "Prometheus",
  "Trivy",
  "SIEM platforms",
  "secrets management",
];

/** What a control's `enforced` claim lacks: a rule or test, a rule's failing fixture, a test where it is said to be. */
function unbackedClaims(
  list: readonly Control[],
  fixtures: Readonly<Record<string, { readonly fail?: unknown } | undefined>> = RULE_FIXTURES,
): string[] {
  const problems: string[] = [];
  for (const c of list) {
    if (c.status !== "enforced") continue;
    const naming = rules.filter((r) => r.controls.includes(c.id));
    const tests = c.tests ?? [];
    if (naming.length + tests.length === 0)
      problems.push(`${c.id}: enforced, but no rule names it and it names no test`);
    for (const rule of naming) {
      if (typeof fixtures[rule.id]?.fail !== "function") problems.push(`${c.id}: ${rule.id} has no failing fixture`);
    }
    for (const test of tests) {
      const file = join(ROOT, test.file);
      if (!existsSync(file)) problems.push(`${c.id}: names the test file ${test.file}, which does not exist`);
      else if (!readFileSync(file, "utf8").includes(`"${test.title}"`)) {
        problems.push(`${c.id}: names the test "${test.title}", which ${test.file} does not hold`);
      }
    }
  }
  return problems;
}

describe("the controls catalog", () => {
  it("answers every item of the source design with a control, and quotes nothing the design does not say", () => {
    const quoted = new Set(controls.flatMap((c) => c.sources.map((s) => s.words)));
    expect(DESIGN_ITEMS.filter((item) => !quoted.has(item))).toEqual([]);
    expect([...quoted].filter((words) => !DESIGN_ITEMS.includes(words))).toEqual([]);
    expect(new Set(DESIGN_ITEMS).size).toBe(DESIGN_ITEMS.length);
  });

  it("gives each control a layer, a source, what it delivers, and a gap exactly when it is not delivered", () => {
    for (const c of controls) {
      expect([c.id, CONTROL_LAYERS.includes(c.layer), c.sources.length > 0, c.delivers.length > 20]).toEqual([
        c.id,
        true,
        true,
        true,
      ]);
      const delivered = c.status === "enforced" || c.status === "built" || c.status === "opt-in";
      expect([c.id, c.status, c.gap === undefined]).toEqual([c.id, c.status, delivered]);
      if (c.gap !== undefined) expect([c.id, c.gap.length > 30]).toEqual([c.id, true]);
    }
  });

  it("claims enforced only where a rule with a failing fixture or a named test in its file covers the control", () => {
    expect(unbackedClaims(controls)).toEqual([]);
  });

  it("would refuse an enforced control with no rule, a rule without a failing fixture, or a test that is not there", () => {
    const base = controls.find((c) => c.id === "C-IAC-SCANNING");
    if (!base) throw new Error("C-IAC-SCANNING is gone");
    expect(
      unbackedClaims(
        [
          { ...base, id: "C-ORPHAN", tests: [] },
          { ...base, id: "C-MISSING-TEST", tests: [{ file: base.tests?.[0]?.file ?? "", title: "no such test" }] },
          { ...base, id: "C-MISSING-FILE", tests: [{ file: "__tests__/none.test.ts", title: "x" }] },
          { ...base, id: "C-ENCRYPT-REST", tests: [] },
        ],
        { ...RULE_FIXTURES, "SMD-S3-2": undefined },
      ),
    ).toEqual([
      "C-ORPHAN: enforced, but no rule names it and it names no test",
      'C-MISSING-TEST: names the test "no such test", which __tests__/policies/checkov-scan.test.ts does not hold',
      "C-MISSING-FILE: names the test file __tests__/none.test.ts, which does not exist",
      "C-ENCRYPT-REST: SMD-S3-2 has no failing fixture",
    ]);
  });

  it("is docs/controls.md, as generated from the code", () => {
    expect(readFileSync(join(ROOT, "docs", "controls.md"), "utf8")).toBe(toControlsCatalog(rules));
  });
});
