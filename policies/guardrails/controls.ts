/**
 * The controls of the source design (`../shared/seed/`, "The Ultimate Guide to Secure AI Model Deployment"), each
 * with the words of the article it comes from. Every guardrail rule names the controls it enforces; the controls
 * matrix (`reports/controls.md`) lists, per control, the rules, the resources that satisfy them and every
 * suppression. A control with no rule yet is listed as such, never as satisfied.
 */
export interface Control {
  /** Stable ID, e.g. `C-ENCRYPT-REST`. */
  readonly id: string;
  /** Short name. */
  readonly title: string;
  /** What the article asks for, in its words. */
  readonly seed: string;
  /** The article's section the control comes from. */
  readonly section: string;
  /** How the blueprint enforces it when no synth-time rule can (a pipeline control). Default: none. */
  readonly outsideSynth?: string;
}

const LIST: readonly Control[] = [
  {
    id: "C-ENCRYPT-REST",
    title: "Encryption at rest under customer-managed keys",
    seed: "Artifact encryption (AES-256 at rest); AES-256 encryption at rest",
    section: "Secure Model Registry; Data Encryption and Access Controls",
  },
  {
    id: "C-ENCRYPT-TRANSIT",
    title: "Encryption in transit",
    seed: "TLS 1.3 in transit; Mutual TLS (mTLS) between services",
    section: "Data Encryption and Access Controls; Zero Trust for AI Inference",
  },
  {
    id: "C-KEY-ROTATION",
    title: "Key and secret rotation",
    seed: "Rotate secrets every 60–90 days; API keys with rotation",
    section: "Best Practices & Pro Tips; Authentication and Authorization",
  },
  {
    id: "C-LEAST-PRIVILEGE",
    title: "Least-privilege IAM",
    seed: "IAM policies with least privilege; Using overly permissive IAM roles (a common mistake)",
    section: "Data Encryption and Access Controls; Common Mistakes to Avoid",
  },
  {
    id: "C-RESTRICTED-MODEL-ACCESS",
    title: "Model artifacts are never public",
    seed: "restricted model registry access; Treat them like crown jewels",
    section: "FAQ: How do you protect an AI model from theft?",
  },
  {
    id: "C-ARTIFACT-INTEGRITY",
    title: "Versioned, signed, tamper-evident model artifacts",
    seed: "Signed model versions; If someone modifies a model artifact without authorization, your pipeline should fail",
    section: "Secure Model Registry",
  },
  {
    id: "C-DATA-DURABILITY",
    title: "Models, keys and state survive mistakes",
    seed: "Version everything—models, datasets, configs; Your models represent months of R&D",
    section: "Best Practices & Pro Tips; Why Secure AI Model Deployment Matters",
  },
  {
    id: "C-AUDIT-TRAIL",
    title: "Access logs and audit trails",
    seed: "Access logs; Maintain audit trails",
    section: "Secure Model Registry; Governance Checklist",
  },
  {
    id: "C-NETWORK-ISOLATION",
    title: "Network segmentation and zero trust",
    seed: "Network segmentation (VPC isolation); never trust, always verify",
    section: "Zero Trust for AI Inference",
  },
  {
    id: "C-API-AUTH",
    title: "Authenticated inference endpoints",
    seed: "OAuth 2.0 / OIDC; API keys with rotation; JWT validation; Exposing model endpoints without authentication",
    section: "Authentication and Authorization; Common Mistakes to Avoid",
  },
  {
    id: "C-RATE-LIMITING",
    title: "Rate limits and quotas against scraping and model extraction",
    seed: "API Gateway throttling; Query limits; Protect against model scraping and inference cost abuse",
    section: "Rate Limiting and Abuse Prevention; Protecting Against Model Extraction",
  },
  {
    id: "C-WAF",
    title: "A web application firewall in front of the API",
    seed: "[API Gateway + WAF]",
    section: "Layered Security Model for AI Systems",
  },
  {
    id: "C-K8S-POD-SECURITY",
    title: "Pod Security Standards and hardened containers",
    seed: "Pod Security Standards; Avoid root users; Use minimal base images",
    section: "Kubernetes Security; Hardened Docker Images",
  },
  {
    id: "C-K8S-NETWORK-POLICY",
    title: "Kubernetes NetworkPolicies",
    seed: "NetworkPolicies",
    section: "Kubernetes Security",
  },
  {
    id: "C-K8S-RBAC",
    title: "Kubernetes role-based access control",
    seed: "Role-based access control (RBAC); the read-only model-reader Role",
    section: "Zero Trust for AI Inference",
  },
  {
    id: "C-SECRETS",
    title: "No credentials in code, outputs or state",
    seed: "Hardcoding API keys in repositories (a common mistake); Secrets management via Kubernetes Secrets or Vault",
    section: "Common Mistakes to Avoid; Kubernetes Security",
  },
  {
    id: "C-SHORT-LIVED-CREDENTIALS",
    title: "Short-lived credentials",
    seed: "Short-lived IAM tokens",
    section: "Zero Trust for AI Inference",
  },
  {
    id: "C-THREAT-DETECTION",
    title: "Threat detection and monitoring",
    seed: "AWS GuardDuty; Unauthorized access attempts; API traffic anomalies",
    section: "Monitoring, Logging, and AI Threat Detection",
  },
  {
    id: "C-IAC-SCANNING",
    title: "Infrastructure-as-code scanning in CI",
    seed: "Scan Terraform using Checkov; Use automated security scans in CI/CD",
    section: "Infrastructure as Code (IaC) Scanning; Best Practices & Pro Tips",
    outsideSynth:
      "Enforced by the pipeline, not by a resource: these guardrails run in every synth and fail it on an error finding, and `npm test` runs the pinned checkov over every synthesized stack of every environment and fails on any finding the register does not accept.",
  },
  {
    id: "C-GOVERNANCE",
    title: "Ownership and data classification for compliance",
    seed: "Governance Layer (monitoring, audit, compliance); GDPR, HIPAA, SOC 2, ISO 27001, EU AI Act",
    section: "Layered Security Model for AI Systems; Compliance and Governance",
  },
];

/** Every control, by ID, in the order of the article. */
export const CONTROLS: ReadonlyMap<string, Control> = new Map(LIST.map((c) => [c.id, c]));
