/**
 * The controls of the source design ("The Ultimate Guide to Secure AI Model Deployment"), every item of every list in
 * it, each with one status that must be true of what synthesizes. Guardrail rules name the controls they enforce; the
 * catalog (`docs/controls.md`, generated from this list and checked by a test) and each environment's matrix
 * (`reports/controls.md`) are made from here. When unsure, a control takes the weaker status.
 */

/**
 * How far the blueprint delivers a control:
 * - `enforced`: a guardrail rule (each with a fixture that must fail) or a named test with a failing fixture covers it;
 * - `built`: on by default, but no rule or test would fail if it went;
 * - `opt-in`: available, off by default;
 * - `partial`: some of it is delivered, and the control says what is missing;
 * - `process`: an organisational duty, and the control says what the blueprint gives for it;
 * - `absent`: not delivered, and the control says why.
 */
export type ControlStatus = "enforced" | "built" | "opt-in" | "partial" | "process" | "absent";

/** Every status, strongest first. */
export const CONTROL_STATUSES: readonly ControlStatus[] = [
  "enforced",
  "built",
  "opt-in",
  "partial",
  "process",
  "absent",
];

/** The five layers of the source design's layered security model. */
export type ControlLayer = "Data" | "Model" | "Application" | "Infrastructure" | "Governance";

/** Every layer, in the design's order. */
export const CONTROL_LAYERS: readonly ControlLayer[] = ["Data", "Model", "Application", "Infrastructure", "Governance"];

/** Where the design names a control, in its words. */
export interface ControlSource {
  /** The design's section or list. */
  readonly section: string;
  /** Its words. */
  readonly words: string;
}

/** A test that enforces a control: it fails when a fixture breaks the control. */
export interface ControlTest {
  /** The test file, relative to the repository. */
  readonly file: string;
  /** The test's title as written in the file. */
  readonly title: string;
}

/** One control of the source design. */
export interface Control {
  /** Stable ID, e.g. `C-ENCRYPT-REST`. */
  readonly id: string;
  /** Short name. */
  readonly title: string;
  /** The layer of the design it belongs to. */
  readonly layer: ControlLayer;
  /** Where the design asks for it, in its words (at least one). */
  readonly sources: readonly ControlSource[];
  /** How far the blueprint delivers it. */
  readonly status: ControlStatus;
  /** What the blueprint delivers for it (for `process`, what it gives the people who own the duty). */
  readonly delivers: string;
  /** What is missing, or whose duty it is: required unless the status is `enforced`, `built` or `opt-in`. */
  readonly gap?: string;
  /** Tests with failing fixtures that enforce it, besides the guardrail rules that name it. Default: none. */
  readonly tests?: readonly ControlTest[];
}

const ZERO_TRUST = "Zero Trust for AI Inference";
const REGISTRY = "Secure Model Registry";
const DATA_ENCRYPTION = "Data Encryption and Access Controls";
const POISONING = "Preventing Data Poisoning";
const AUTH = "Authentication and Authorization";
const RATE = "Rate Limiting and Abuse Prevention";
const EXTRACTION = "Protecting Against Model Extraction";
const DOCKER = "Hardened Docker Images";
const K8S = "Kubernetes Security";
const IAC = "Infrastructure as Code (IaC) Scanning";
const MONITOR = "Monitoring: what to monitor";
const MONITOR_TOOLS = "Monitoring: tools";
const DRIFT = "Model Drift Detection";
const REGULATIONS = "Compliance: regulations to consider";
const CHECKLIST = "Compliance: governance checklist";
const PROCESS = "How GitNexa approaches secure AI model deployment";
const MISTAKES = "Common Mistakes to Avoid";
const TIPS = "Best Practices & Pro Tips";
const FUTURE = "Future trends";
const FAQ = "FAQ";
const SCOPE = "What Is Secure AI Model Deployment?";
const LAYERS = "Layered Security Model for AI Systems";

const src = (section: string, ...words: string[]): ControlSource[] => words.map((w) => ({ section, words: w }));

const LIST: readonly Control[] = [
  // Infrastructure and application: what a request meets on its way to the model.
  {
    id: "C-WAF",
    title: "A web application firewall in front of the API",
    layer: "Application",
    sources: [...src(LAYERS, "[API Gateway + WAF]"), ...src(RATE, "Cloudflare WAF")],
    status: "enforced",
    delivers:
      "A WAFv2 web ACL on every API stage with AWS's common, known-bad-inputs and IP-reputation rule groups, a rate-based rule, a body-size limit and logging with the authorization header redacted. AWS WAF stands in for Cloudflare's.",
  },
  {
    id: "C-API-AUTH",
    title: "Authenticated inference endpoints",
    layer: "Application",
    sources: [
      ...src(AUTH, "OAuth 2.0 / OIDC", "JWT validation"),
      ...src(LAYERS, "[Auth Service]"),
      ...src(SCOPE, "Inference endpoints (REST, gRPC)", "API authentication"),
      ...src(MISTAKES, "Exposing model endpoints without authentication."),
      ...src(FAQ, "authentication", "strong access controls"),
    ],
    status: "enforced",
    delivers:
      "Every method authenticates its caller (a Cognito user-pool authorizer that validates the OAuth2 client-credentials JWT and requires the invoke scope, or IAM SigV4) and requires an API key; request bodies are validated against a model. REST only: the blueprint serves no gRPC.",
  },
  {
    id: "C-RATE-LIMITING",
    title: "Rate limits and quotas against scraping, brute force and cost abuse",
    layer: "Application",
    sources: [
      ...src(RATE, "Model scraping", "Brute-force attacks", "Inference cost abuse", "API Gateway throttling"),
      ...src(RATE, "NGINX rate limiting"),
      ...src(EXTRACTION, "Query limits"),
      ...src(LAYERS, "[Rate Limiter]"),
      ...src(FAQ, "API rate limiting", "rate limiting"),
    ],
    status: "enforced",
    delivers:
      "Every stage throttles and sits in usage plans with a rate, burst and quota per consumer tier; the web ACL's rate-based rule blocks a flooding address; every namespace has a ResourceQuota and every container limits. API Gateway and WAF do what NGINX rate limiting would.",
  },
  {
    id: "C-EXTRACTION-RESPONSES",
    title: "Responses that make model extraction harder",
    layer: "Application",
    sources: [
      ...src(EXTRACTION, "Output rounding", "Response watermarking", "Randomized response strategies"),
      ...src(FAQ, "output obfuscation"),
    ],
    status: "absent",
    delivers:
      "Nothing in the response path: the integration passes the model server's response through unchanged. Quotas and throttling (C-RATE-LIMITING) bound how many answers a caller gets.",
    gap: "Rounding, watermarking or randomizing outputs is the model server's code, which the blueprint neither ships nor inspects.",
  },
  {
    id: "C-PROMPT-SAFETY",
    title: "Prompt validation and output filtering for LLMs",
    layer: "Application",
    sources: [
      ...src(SCOPE, "Prompt injection (for LLMs)"),
      ...src(FAQ, "prompt validation", "output filtering"),
      ...src("Why Secure AI Model Deployment Matters in 2026", "Data leakage via inference APIs"),
    ],
    status: "absent",
    delivers:
      "Request bodies are validated against a JSON schema and the web ACL's managed rules inspect them, which is not prompt validation.",
    gap: "No prompt-injection detection or output filter: these belong in or beside the model server, which the blueprint does not ship.",
  },
  {
    id: "C-ENCRYPT-TRANSIT",
    title: "Encryption in transit",
    layer: "Infrastructure",
    sources: src(DATA_ENCRYPTION, "TLS 1.3 in transit"),
    status: "partial",
    delivers:
      "Clients reach API Gateway over TLS (custom domains with TLS 1.2 policies and the default endpoint retired); S3 buckets refuse requests without TLS or below TLS 1.2; SNS topics refuse messages without TLS; AWS APIs are reached through TLS endpoints.",
    gap: "The hop API Gateway → VPC link → load balancer → NodePort → pod is plain HTTP over TCP listeners (CKV2_AWS_51 is suppressed for it), and nothing requires TLS 1.3.",
  },
  {
    id: "C-MTLS",
    title: "Mutual TLS between services",
    layer: "Infrastructure",
    sources: src(ZERO_TRUST, "Mutual TLS (mTLS) between services"),
    status: "absent",
    delivers:
      "Services authenticate by identity instead: pods by EKS Pod Identity roles, callers at API Gateway, and traffic is limited by security groups that reference each other and default-deny NetworkPolicies.",
    gap: "No stage presents a client certificate and no backend verifies one; traffic between pods is not mutually authenticated.",
  },
  {
    id: "C-ZERO-TRUST",
    title: "Zero-trust networking",
    layer: "Infrastructure",
    sources: [
      ...src(ZERO_TRUST, "never trust, always verify"),
      ...src(TIPS, "Apply Zero Trust networking principles."),
    ],
    status: "partial",
    delivers:
      "Every caller authenticates (C-API-AUTH), every role is least-privilege (C-LEAST-PRIVILEGE), credentials are short-lived (C-SHORT-LIVED-CREDENTIALS), networks are segmented (C-NETWORK-ISOLATION) and pods default-deny (C-K8S-NETWORK-POLICY).",
    gap: "The network path to the model trusts the network: no mutual TLS (C-MTLS) and plaintext inside the VPC (C-ENCRYPT-TRANSIT).",
  },
  {
    id: "C-NETWORK-ISOLATION",
    title: "Network segmentation",
    layer: "Infrastructure",
    sources: src(ZERO_TRUST, "Network segmentation (VPC isolation)"),
    status: "enforced",
    delivers:
      "Private subnets without public addresses, managed empty default security group and ACL, no ingress from the internet, a private EKS API, an internal load balancer, interface and gateway endpoints restricted to the account, flow logs on every VPC.",
  },
  {
    id: "C-SHORT-LIVED-CREDENTIALS",
    title: "Short-lived credentials",
    layer: "Infrastructure",
    sources: src(ZERO_TRUST, "Short-lived IAM tokens"),
    status: "enforced",
    delivers:
      "CI assumes roles through GitHub OIDC trusting one repository's exact claims; pods get EKS Pod Identity credentials; nodes need IMDSv2 with a hop limit of 1; no service-account token is mounted; the kubernetes provider authenticates with exec tokens.",
  },
  {
    id: "C-K8S-RBAC",
    title: "Kubernetes role-based access control",
    layer: "Infrastructure",
    sources: [
      ...src(ZERO_TRUST, "Role-based access control (RBAC)", "model-reader"),
      ...src(SCOPE, "Kubernetes RBAC configurations"),
    ],
    status: "enforced",
    delivers:
      "API users come in through EKS access entries only (the creator gets nothing); RBAC names its verbs and resources and never grants Secrets or escalation; the design's read-only `model-reader` Role is made for the reader groups a namespace names.",
  },
  {
    id: "C-K8S-POD-SECURITY",
    title: "Pod Security Standards and hardened containers",
    layer: "Infrastructure",
    sources: [
      ...src(K8S, "PodSecurityPolicies (or Pod Security Standards)"),
      ...src(DOCKER, "Avoid root users"),
      ...src(LAYERS, "[Inference Service (Containerized)]"),
      ...src(SCOPE, "Infrastructure (containers, Kubernetes, serverless)"),
    ],
    status: "enforced",
    delivers:
      "Namespaces enforce, audit and warn at the restricted Pod Security Standard; containers run as non-root UIDs, read-only, without privilege, escalation or capabilities, under seccomp, with requests and limits; no host namespaces or paths; GPU nodes are tainted. No serverless runtime is used.",
  },
  {
    id: "C-K8S-NETWORK-POLICY",
    title: "Kubernetes NetworkPolicies",
    layer: "Infrastructure",
    sources: [...src(K8S, "NetworkPolicies"), ...src(SCOPE, "External data integrations")],
    status: "enforced",
    delivers:
      "Every namespace default-denies ingress and egress, enforced by the VPC CNI's network policy agent; the only egress opened is DNS, the VPC endpoints and the model store, so a pod reaches no external integration unless someone opens it.",
  },
  {
    id: "C-MINIMAL-IMAGES",
    title: "Minimal base images",
    layer: "Infrastructure",
    sources: src(DOCKER, "Use minimal base images (Alpine, Distroless)"),
    status: "process",
    delivers:
      "Containers run read-only, as non-root, without capabilities and pinned by digest to the environment's own registry, so what a fat image carries can neither write nor escalate.",
    gap: "Model teams build their images; nothing inspects the base image.",
  },
  {
    id: "C-IMAGE-SCANNING",
    title: "Image vulnerability scanning",
    layer: "Infrastructure",
    sources: [...src(DOCKER, "Scan images with Trivy or Clair"), ...src(FAQ, "Trivy")],
    status: "partial",
    delivers:
      "Every ECR repository scans each image on push; workloads run only digest-pinned images from the environment's registry.",
    gap: "Findings neither alert nor block a release; no Trivy gate in an image workflow, and no continuous (Inspector) scanning.",
  },
  {
    id: "C-SECRETS",
    title: "Secrets kept out of code, configuration and outputs",
    layer: "Infrastructure",
    sources: [
      ...src(K8S, "Secrets management via Kubernetes Secrets or HashiCorp Vault"),
      ...src(MISTAKES, "Hardcoding API keys in repositories."),
      ...src(FAQ, "secrets management", "Vault"),
    ],
    status: "partial",
    delivers:
      "EKS envelope-encrypts Secrets with a customer key; no provider configuration holds a credential; no output carries a secret; WAF logs redact the authorization header; state is encrypted and remote.",
    gap: "API key values and Cognito client secrets live in Terraform state; workloads have no managed way to receive a secret; no secret scanner runs over the repository.",
  },
  {
    id: "C-IAC-SCANNING",
    title: "Infrastructure-as-code scanning in CI",
    layer: "Infrastructure",
    sources: [
      ...src(IAC, "Checkov", "tfsec"),
      ...src(TIPS, "Use automated security scans in CI/CD."),
      ...src(FAQ, "Checkov"),
    ],
    status: "enforced",
    delivers:
      "Every synth runs the guardrail rules and fails on an error; `npm test` and the pull-request workflow run the pinned checkov over every synthesized stack of every environment and fail on any finding the register does not accept. tfsec is not run: its checks now live in Trivy, and checkov and the guardrails cover the same resources.",
    tests: [
      {
        file: "__tests__/policies/checkov-scan.test.ts",
        title:
          "fails a KMS key without rotation, a key policy open to everyone, a role any repository can assume, an unlocked model store, an open cluster, insecure namespaces and an open edge",
      },
      {
        file: "__tests__/policies/guardrails/guardrails.test.ts",
        title: "fails with every finding listed, writes the reports and leaves no stack behind",
      },
      {
        file: "__tests__/github/workflows.test.ts",
        title: "runs the same checks on pull requests and on main: npm test, SARIF for every environment, the report",
      },
    ],
  },
  {
    id: "C-CICD",
    title: "A hardened delivery pipeline",
    layer: "Infrastructure",
    sources: [...src(SCOPE, "CI/CD and MLOps workflows"), ...src(PROCESS, "Secure MLOps pipeline design")],
    status: "enforced",
    delivers:
      "Workflows pin every action to a commit SHA, grant read-only contents by default and each permission only to the job that needs it; pull requests plan with read-only roles; applies run per environment through protected GitHub environments; CI roles trust one repository's exact OIDC claims.",
    tests: [
      {
        file: "__tests__/github/workflows.test.ts",
        title: "%s pins every action to a full commit SHA, with its version in a comment",
      },
      { file: "__tests__/github/workflows.test.ts", title: "grants each permission only to the job that uses it" },
      {
        file: "__tests__/github/workflows.test.ts",
        title: "plans on pull requests with each environment's plan role, and never with an apply role",
      },
    ],
  },
  {
    id: "C-SECURE-DEFAULTS",
    title: "Security from the first line, not after",
    layer: "Infrastructure",
    sources: [
      ...src(MISTAKES, "Treating AI security as an afterthought."),
      ...src(PROCESS, "Infrastructure hardening (AWS, Azure, GCP)"),
    ],
    status: "enforced",
    delivers:
      "Every construct's default is its hardened form, weaker settings are named opt-outs, and the rule pack checks every resource of every stack at synth (a stack with resources no rule checked fails). AWS only: Azure and GCP are not covered.",
    tests: [
      {
        file: "__tests__/policies/guardrails/guardrails.test.ts",
        title: "fail a stack whose resources no rule checked (SMD-GUARD-2), never pass it",
      },
    ],
  },
  {
    id: "C-AVAILABILITY",
    title: "Inference that survives a node or zone",
    layer: "Infrastructure",
    sources: src("Why Secure AI Model Deployment Matters in 2026", "Operational downtime"),
    status: "built",
    delivers:
      "Private subnets in two or more zones, a cross-zone internal load balancer with health checks, a PodDisruptionBudget and a HorizontalPodAutoscaler per model, managed node groups that EKS repairs.",
  },

  // Model layer.
  {
    id: "C-MODEL-REGISTRY",
    title: "A model registry",
    layer: "Model",
    sources: [
      ...src(REGISTRY, "MLflow", "AWS SageMaker Model Registry", "Google Vertex AI Model Registry"),
      ...src(LAYERS, "[Model Registry]", "Model Layer (training, versioning, artifacts)"),
      ...src(FAQ, "MLflow"),
    ],
    status: "partial",
    delivers:
      "The model store is the registry's storage: one S3 bucket per environment, versioned, Object-Locked, encrypted under its own key, written only by the publisher role.",
    gap: "No registry metadata: no stages, approvals, lineage or model documentation per version; MLflow and the SageMaker and Vertex registries are not used.",
  },
  {
    id: "C-ENCRYPT-REST",
    title: "Encryption at rest under customer-managed keys",
    layer: "Model",
    sources: [
      ...src(REGISTRY, "Artifact encryption (AES-256 at rest)"),
      ...src(DATA_ENCRYPTION, "AES-256 encryption at rest"),
      ...src(LAYERS, "[Encrypted Storage + Logging + SIEM]"),
      ...src(FAQ, "encrypted storage"),
    ],
    status: "enforced",
    delivers:
      "S3 (SSE-KMS, SSE-C refused), EBS, ECR, EKS Secrets, CloudWatch Logs, SNS, API caches and Terraform state are encrypted under customer-managed KMS keys (AES-256-GCM).",
  },
  {
    id: "C-KEY-ROTATION",
    title: "KMS key rotation",
    layer: "Model",
    sources: src(TIPS, "Rotate secrets every 60–90 days."),
    status: "enforced",
    delivers:
      "Every symmetric customer-managed KMS key rotates its key material automatically (a key without rotation fails synth; a period over 90 days is a warning). Secrets and API keys: C-SECRET-ROTATION.",
  },
  {
    id: "C-SECRET-ROTATION",
    title: "Rotation of secrets and API keys",
    layer: "Application",
    sources: [...src(AUTH, "API keys with rotation"), ...src(TIPS, "Rotate secrets every 60–90 days.")],
    status: "absent",
    delivers: "Nothing rotates: access tokens last one hour, which is not secret rotation.",
    gap: "API keys and Cognito app-client secrets never rotate; the asymmetric signing key, which KMS cannot rotate, has no age alarm.",
  },
  {
    id: "C-RESTRICTED-MODEL-ACCESS",
    title: "Model artifacts are never public",
    layer: "Model",
    sources: [
      ...src(FAQ, "restricted model registry access"),
      ...src("Why Secure AI Model Deployment Matters in 2026", "Treat them like crown jewels.", "Model theft"),
      ...src(SCOPE, "S3 buckets storing model artifacts", "Model risk (model theft, inversion attacks, poisoning)"),
    ],
    status: "enforced",
    delivers:
      "No bucket or repository policy admits everyone; the account blocks public access; the model store denies reads from outside its VPC endpoint and writes by anyone but the publishers; node roles pull only from named repositories.",
  },
  {
    id: "C-ARTIFACT-INTEGRITY",
    title: "Versioned, locked model artifacts and images",
    layer: "Model",
    sources: [...src(SCOPE, "Model artifacts and weights", "Docker images in ECR")],
    status: "enforced",
    delivers:
      "Every model version is kept and locked (S3 versioning and Object Lock with a default retention), writes and deletes by anyone but the publishers raise a tamper alert, uploads are malware-scanned; images have immutable tags, are scanned on push and run pinned by digest.",
  },
  {
    id: "C-MODEL-SIGNING",
    title: "Signed model versions",
    layer: "Model",
    sources: src(REGISTRY, "Signed model versions"),
    status: "enforced",
    delivers:
      "The model release workflow signs each version's manifest (every file's SHA-256) with the environment's asymmetric KMS key, which only the publisher role may sign with; every pod that serves a model verifies the signature and every file before its server starts (SMD-K8S-13 fails synth without the verifier; tests run the verifier against good, tampered, foreign-key, unsigned and extra-file versions).",
    tests: [
      {
        file: "__tests__/constructs/kubernetes/verify-model.test.ts",
        title: "refuses the %s model (exit %i) and says why",
      },
    ],
  },
  {
    id: "C-TAMPER-FAILS",
    title: "A tampered model stops the pipeline",
    layer: "Model",
    sources: src(REGISTRY, "If someone modifies a model artifact without authorization, your pipeline should fail."),
    status: "enforced",
    delivers:
      "Only the publisher roles can write, Object Lock keeps every version, and a write or delete by anyone else raises a tamper alert; a pod given a changed, unsigned or foreign-signed version never starts its server or becomes ready, so the rollout and the workloads apply fail while the old version keeps serving.",
    tests: [
      {
        file: "__tests__/constructs/kubernetes/verify-model.test.ts",
        title: "refuses a signed manifest whose paths leave the model folder, before downloading anything",
      },
    ],
  },
  {
    id: "C-DATA-DURABILITY",
    title: "Models, keys and state survive mistakes",
    layer: "Model",
    sources: src("Why Secure AI Model Deployment Matters in 2026", "Your models represent months of R&D"),
    status: "enforced",
    delivers:
      "Model store, log buckets, state bucket, KMS keys, repositories, the cluster and the load balancer are protected from destroy or deletion; versions are kept; prod replicates its models to a locked replica in a second region; state is locked while it changes.",
  },
  {
    id: "C-VERSION-EVERYTHING",
    title: "Versioned models, datasets and configuration",
    layer: "Model",
    sources: [
      ...src(TIPS, "Version everything—models, datasets, configs."),
      ...src(MISTAKES, "Ignoring data lineage and versioning."),
    ],
    status: "partial",
    delivers:
      "Models are versioned and locked, images immutable and pinned by digest, configuration is typed code in git, Terraform state is versioned.",
    gap: "Datasets: the blueprint has no training-data store, so nothing versions or traces data.",
  },

  // Data layer.
  {
    id: "C-DATA-PIPELINES",
    title: "Secured training-data pipelines",
    layer: "Data",
    sources: [
      ...src(SCOPE, "Training data pipelines"),
      ...src(LAYERS, "Data Layer (ETL, storage, feature stores)"),
      ...src("Securing Data Pipelines and Model Training", "Most AI security incidents originate in data pipelines."),
    ],
    status: "absent",
    delivers: "Nothing: the blueprint serves models; it builds no ETL, data store or feature store.",
    gap: "No training-data store, ETL or feature store is built; a team's pipeline gets only the general constructs (SecureBucket, KmsKey, roles).",
  },
  {
    id: "C-PII-PROTECTION",
    title: "Protection of personal and regulated data",
    layer: "Data",
    sources: [
      ...src(DATA_ENCRYPTION, "Column-level encryption for PII"),
      ...src(SCOPE, "Data risk (PII, PHI, financial records)"),
    ],
    status: "absent",
    delivers: "Every AWS resource carries a data-classification tag; every store is encrypted under a customer key.",
    gap: "No column-level encryption, PII discovery (Macie) or tokenization: there is no data store to apply them to.",
  },
  {
    id: "C-DATA-POISONING",
    title: "Defences against data poisoning",
    layer: "Data",
    sources: src(POISONING, "Validate input data sources.", "Use anomaly detection before training."),
    status: "absent",
    delivers: "Nothing: training happens outside the blueprint.",
    gap: "Validating sources and screening training data belong to a training pipeline the blueprint does not build.",
  },
  {
    id: "C-DATA-LINEAGE",
    title: "Dataset versioning and lineage",
    layer: "Data",
    sources: src(POISONING, "Version datasets (e.g., DVC).", "Implement data lineage tracking."),
    status: "absent",
    delivers: "Nothing: no model records the dataset version it was trained on.",
    gap: "No dataset store, no DVC, no lineage record from data to model version.",
  },
  {
    id: "C-DIFFERENTIAL-PRIVACY",
    title: "Differential privacy in training",
    layer: "Data",
    sources: src("Differential Privacy", "Add noise during training.", "Use privacy budgets (epsilon values)."),
    status: "absent",
    delivers: "Nothing: a training-time technique.",
    gap: "Training is outside the blueprint; TensorFlow Privacy or Opacus belong in the model team's training code.",
  },

  // Governance layer.
  {
    id: "C-LEAST-PRIVILEGE",
    title: "Least-privilege IAM",
    layer: "Governance",
    sources: [
      ...src(DATA_ENCRYPTION, "IAM policies with least privilege", "Example IAM policy for S3"),
      ...src(MISTAKES, "Using overly permissive IAM roles."),
      ...src(SCOPE, "IAM roles"),
    ],
    status: "enforced",
    delivers:
      "No wildcard action, no `*` on `*`, no policy open to every principal, permissions boundaries on every role, services admitted only on this account's behalf, pod identity roles bound to one service account; workload roles read only their model's prefix. IAM simulation tests prove what each role can and cannot do.",
    tests: [
      {
        file: "__tests__/policies/iam-simulation.test.ts",
        title: "would catch the usual 'Enable IAM User Permissions' statement (the check can fail)",
      },
    ],
  },
  {
    id: "C-AUDIT-TRAIL",
    title: "Access logs and audit trails",
    layer: "Governance",
    sources: [
      ...src(REGISTRY, "Access logs"),
      ...src(CHECKLIST, "Maintain audit trails"),
      ...src(LAYERS, "[Encrypted Storage + Logging + SIEM]"),
      ...src(SCOPE, "Logging systems", "Monitoring and logging systems"),
    ],
    status: "enforced",
    delivers:
      "A multi-region, validated, encrypted CloudTrail with S3 data events on the model store; S3 server access logs; VPC flow logs; EKS control-plane logs; API Gateway access logs; WAF logs; load balancer access logs; AWS Config; every log group encrypted and kept 365 days.",
  },
  {
    id: "C-THREAT-DETECTION",
    title: "Threat detection",
    layer: "Governance",
    sources: [...src(MONITOR_TOOLS, "AWS GuardDuty"), ...src(FAQ, "AWS GuardDuty")],
    status: "enforced",
    delivers:
      "GuardDuty with S3, EKS audit-log, runtime and EBS malware protection, and malware scanning of every model upload; Security Hub; findings reach the encrypted security topic through EventBridge.",
  },
  {
    id: "C-MONITOR-TRAFFIC",
    title: "API traffic anomalies",
    layer: "Governance",
    sources: src(MONITOR, "API traffic anomalies"),
    status: "partial",
    delivers:
      "Per API, alarms on the 5xx rate, a 4xx spike and a spike of WAF-blocked requests, to the security topic.",
    gap: "Static thresholds only: no anomaly-detection bands on request rate per stage or usage plan, which is what scraping looks like.",
  },
  {
    id: "C-MONITOR-UNAUTHORIZED",
    title: "Unauthorized access attempts",
    layer: "Governance",
    sources: src(MONITOR, "Unauthorized access attempts"),
    status: "partial",
    delivers:
      "GuardDuty findings, model-store tamper alerts and a per-API 4xx-spike alarm reach the security topic; the audit trail records every denied AWS call.",
    gap: "No alarm per API key or client on 401/403 responses, and no alarm on denied AWS calls.",
  },
  {
    id: "C-MONITOR-LATENCY",
    title: "Latency spikes",
    layer: "Governance",
    sources: src(MONITOR, "Latency spikes"),
    status: "built",
    delivers: "Per API, an alarm on p99 latency to the security topic.",
  },
  {
    id: "C-DRIFT",
    title: "Prediction and data drift",
    layer: "Governance",
    sources: [
      ...src(MONITOR, "Prediction drift", "Data drift"),
      ...src(
        DRIFT,
        "Kolmogorov-Smirnov test",
        "PSI (Population Stability Index)",
        "If PSI > 0.25, retraining may be required.",
      ),
      ...src(MISTAKES, "Failing to monitor model drift."),
    ],
    status: "absent",
    delivers: "Nothing: no drift metric is defined, collected or alarmed on.",
    gap: "No drift contract, no PSI or KS metric, no alarm at PSI > 0.25.",
  },
  {
    id: "C-METRICS",
    title: "Cluster, GPU and model metrics with dashboards",
    layer: "Governance",
    sources: [
      ...src(MONITOR_TOOLS, "Prometheus + Grafana", "ELK Stack", "Datadog"),
      ...src(FAQ, "Prometheus"),
      ...src(PROCESS, "Continuous monitoring integration"),
    ],
    status: "absent",
    delivers: "API Gateway and WAF metrics in CloudWatch, with the alarms above; nothing from inside the cluster.",
    gap: "No Prometheus, Grafana, Container Insights or GPU metrics and no dashboards; ELK and Datadog are not integrated.",
  },
  {
    id: "C-SIEM",
    title: "Logs and findings delivered to a SIEM",
    layer: "Governance",
    sources: [...src(LAYERS, "[Encrypted Storage + Logging + SIEM]"), ...src(FAQ, "SIEM platforms")],
    status: "absent",
    delivers: "Findings and logs stay in the account: the security topic, CloudWatch Logs and the log buckets.",
    gap: "No export to a SIEM (Security Lake, Firehose or OpenSearch).",
  },
  {
    id: "C-GOVERNANCE",
    title: "Ownership, classification and configuration records",
    layer: "Governance",
    sources: src(LAYERS, "Governance Layer (monitoring, audit, compliance)"),
    status: "enforced",
    delivers:
      "Every AWS resource is tagged with its owner and data classification; AWS Config records every resource type; Security Hub checks the account against AWS Foundational Security Best Practices and CIS; security groups say what they are for.",
  },
  {
    id: "C-COMPLIANCE",
    title: "Compliance with GDPR, HIPAA, SOC 2, ISO 27001 and the EU AI Act",
    layer: "Governance",
    sources: [
      ...src(REGULATIONS, "GDPR (EU)", "HIPAA (US healthcare)", "SOC 2", "ISO 27001", "EU AI Act"),
      ...src(CHECKLIST, "OECD AI Principles", "NIST AI Risk Management Framework"),
      ...src(PROCESS, "Compliance alignment (SOC 2, GDPR)"),
      ...src(FUTURE, "Stronger regulatory enforcement under EU AI Act."),
    ],
    status: "process",
    delivers:
      "Technical evidence an auditor can use: encryption, audit trail, AWS Config, Security Hub standards, ownership and classification tags, this catalog and the per-environment controls matrix.",
    gap: "Mapping controls to a framework, audits and certification are the organisation's; no model carries an EU AI Act risk class.",
  },
  {
    id: "C-MODEL-CARDS",
    title: "Model documentation (model cards)",
    layer: "Governance",
    sources: src(CHECKLIST, "Maintain model documentation (model cards)"),
    status: "absent",
    delivers: "Nothing: a model in the configuration is a name, an image, a location and replica bounds.",
    gap: "No model card, owner, intended use or risk class per model.",
  },
  {
    id: "C-DECISION-LOGS",
    title: "Logged decision explanations",
    layer: "Governance",
    sources: [...src(CHECKLIST, "Log decision explanations"), ...src(TIPS, "Maintain model explainability logs.")],
    status: "absent",
    delivers: "API Gateway access logs record each call (caller, route, status, latency), not the model's reasons.",
    gap: "No place or format for explanations; bodies are deliberately not logged.",
  },
  {
    id: "C-BIAS-TESTING",
    title: "Bias testing",
    layer: "Governance",
    sources: src(CHECKLIST, "Implement bias testing"),
    status: "process",
    delivers: "Nothing yet: no model records when it was last tested for bias.",
    gap: "Bias testing is the model team's duty; the blueprint neither runs nor records it.",
  },
  {
    id: "C-ADVERSARIAL-TESTING",
    title: "Adversarial testing and red-teaming",
    layer: "Governance",
    sources: [
      ...src(TIPS, "Run adversarial testing quarterly."),
      ...src(FUTURE, "Automated AI red-teaming platforms."),
      ...src(SCOPE, "Adversarial attacks (evasion, data drift exploitation)"),
    ],
    status: "process",
    delivers: "Nothing yet: no model records when it was last tested.",
    gap: "Testing models against adversarial inputs is the model team's duty, quarterly by the design; the blueprint neither runs nor records it.",
  },
  {
    id: "C-PENETRATION-TESTING",
    title: "Penetration testing and security reviews",
    layer: "Governance",
    sources: [
      ...src(MISTAKES, "Skipping penetration testing."),
      ...src(FAQ, "At least annually, with quarterly security reviews for high-risk systems."),
    ],
    status: "process",
    delivers: "A deployable, scanned footprint with its controls listed here, for testers to work from.",
    gap: "Penetration tests and reviews are the organisation's; nothing records them.",
  },
  {
    id: "C-THREAT-MODEL",
    title: "A documented threat model",
    layer: "Governance",
    sources: [...src(TIPS, "Document your threat model."), ...src(PROCESS, "Threat modeling workshops")],
    status: "absent",
    delivers: "This catalog says what the blueprint defends and what it leaves to others.",
    gap: "No threat model of the blueprint itself (assets, actors, trust boundaries, threats and the controls against each).",
  },
  {
    id: "C-CANARY",
    title: "Canary deployments for new models",
    layer: "Governance",
    sources: src(TIPS, "Implement canary deployments for new models."),
    status: "absent",
    delivers: "Rolling updates of each model's Deployment with a PodDisruptionBudget; no traffic split.",
    gap: "No candidate version beside the current one, no weighted traffic, no automatic rollback.",
  },
  {
    id: "C-SUPPLY-CHAIN",
    title: "AI supply-chain security",
    layer: "Governance",
    sources: src(FUTURE, "AI supply chain security standards."),
    status: "partial",
    delivers:
      "Images come from the environment's own registry, pinned by digest, with immutable tags; models are signed and verified before serving; actions are pinned by SHA; the npm package is published with provenance.",
    gap: "Images are pinned by digest but not signed or attested; models are signed (C-MODEL-SIGNING) but carry no build provenance.",
  },
  {
    id: "C-SBOM",
    title: "Software bills of materials",
    layer: "Governance",
    sources: src(FUTURE, "Widespread adoption of AI SBOMs (Software Bill of Materials)."),
    status: "absent",
    delivers: "Nothing: no SBOM is produced for the blueprint or for images.",
    gap: "No CycloneDX or SPDX SBOM of the package, the images or the models.",
  },
  {
    id: "C-CONFIDENTIAL-COMPUTE",
    title: "Confidential computing and encrypted inference",
    layer: "Infrastructure",
    sources: src(
      FUTURE,
      "Confidential AI using hardware-based TEEs (Trusted Execution Environments).",
      "Homomorphic encryption for secure inference.",
    ),
    status: "absent",
    delivers: "Nothing: models run on ordinary GPU nodes; EBS volumes are encrypted.",
    gap: "No trusted execution environment and no homomorphic inference; both are a future trend in the design.",
  },
];

/** Every control, by ID, in the order of the catalog. */
export const CONTROLS: ReadonlyMap<string, Control> = new Map(LIST.map((c) => [c.id, c]));
