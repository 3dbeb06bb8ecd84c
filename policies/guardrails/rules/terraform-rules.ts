import { problems, type Rule, requireLiteral } from "../rule";
import { isReference, referencesIn, valueAt } from "../stack-index";

/** Provider arguments that hold credentials, for any provider. */
const CREDENTIAL_ARGUMENTS = ["access_key", "secret_key", "token", "password", "client_key", "client_secret"];

/** Resource attributes that are secrets: an output must never carry them. */
const SECRET_ATTRIBUTES = [
  "secret",
  "password",
  "master_password",
  "token",
  "auth_token",
  "private_key",
  "private_key_pem",
  "private_key_openssh",
  "secret_string",
  "secret_binary",
  "ses_smtp_password_v4",
  "client_secret",
  "kube_config",
  "kube_config_raw",
];

/** Tags every resource must carry (through the provider's `default_tags`) for data governance. */
export const REQUIRED_TAGS = ["Owner", "DataClassification"];

/** Rules for providers, the state backend and outputs. */
export const TERRAFORM_RULES: readonly Rule[] = [
  {
    id: "SMD-TF-1",
    title: "No credentials in provider configuration",
    level: "error",
    suppressible: false,
    controls: ["C-SECRETS", "C-SHORT-LIVED-CREDENTIALS"],
    checkov: ["CKV_AWS_41"],
    fix: "remove the credential: use the environment's role (OIDC in CI, SSO locally), or exec-based authentication for kubernetes",
    targets: [{ kind: "provider" }],
    check: (provider) =>
      CREDENTIAL_ARGUMENTS.filter((a) => {
        const value = provider.config[a];
        return typeof value === "string" && value !== "" && !isReference(value);
      }).map((a) => `${a} holds a literal credential`),
  },
  {
    id: "SMD-TF-2",
    title: "Every AWS resource is tagged with its owner and data classification",
    level: "error",
    controls: ["C-GOVERNANCE"],
    fix: `set default_tags on the AWS provider with ${REQUIRED_TAGS.join(" and ")}: new AwsProvider(stack, "aws", { defaultTags: [{ tags: { ${REQUIRED_TAGS.map((t) => `${t}: "..."`).join(", ")} } }] }) (the blueprint's stacks set them from the environment)`,
    targets: [{ kind: "provider", types: ["aws"] }],
    check: (provider) =>
      REQUIRED_TAGS.flatMap((tag) => {
        const value = valueAt(provider.config, `default_tags.tags.${tag}`);
        if (typeof value === "string" && value.trim() !== "" && !isReference(value)) return [];
        return [`default_tags has no literal ${tag} tag`];
      }),
  },
  {
    id: "SMD-TF-3",
    title: "The AWS provider is pinned to its account",
    level: "warning",
    controls: ["C-DATA-DURABILITY"],
    fix: "set allowed_account_ids (the environment's accountId) so that this configuration cannot be applied to another account",
    targets: [{ kind: "provider", types: ["aws"] }],
    check: (provider) => {
      const ids = provider.config.allowed_account_ids;
      return Array.isArray(ids) && ids.length > 0 ? [] : ["allowed_account_ids is not set"];
    },
  },
  {
    id: "SMD-TF-4",
    title: "No output carries a secret",
    level: "error",
    controls: ["C-SECRETS"],
    fix: "remove the output: hand over names or ARNs and let the consumer read the secret where it is kept",
    targets: [{ kind: "output" }],
    check: (output) =>
      referencesIn(output.config.value)
        .filter(([, attribute]) => SECRET_ATTRIBUTES.includes(attribute))
        .map(([address, attribute]) => `value carries ${address}.${attribute}`),
  },
  {
    id: "SMD-STATE-1",
    title: "Terraform state is encrypted with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST", "C-SECRETS"],
    fix: "set encrypt = true and kms_key_id on the S3 backend",
    targets: [{ kind: "backend", types: ["s3"] }],
    check: (backend) =>
      problems(
        requireLiteral(backend.config, "encrypt", true),
        backend.config.kms_key_id ? undefined : "kms_key_id is not set, so S3 uses its own key",
      ),
  },
  {
    id: "SMD-STATE-2",
    title: "Terraform state is locked while it changes",
    level: "error",
    controls: ["C-DATA-DURABILITY"],
    fix: "set use_lockfile = true on the S3 backend (Terraform 1.10+)",
    targets: [{ kind: "backend", types: ["s3"] }],
    check: (backend) =>
      backend.config.use_lockfile === true || backend.config.dynamodb_table
        ? []
        : ["use_lockfile is not true and no dynamodb_table is set"],
  },
  {
    id: "SMD-STATE-3",
    title: "Terraform state is kept remotely",
    level: "warning",
    controls: ["C-SECRETS", "C-DATA-DURABILITY"],
    fix: "use the S3 backend (the default; BLUEPRINT_BACKEND=local is for trying things out)",
    targets: [{ kind: "backend" }],
    check: (backend) =>
      backend.type === "local"
        ? ["state is kept in a local file: unencrypted, unlocked and lost with the machine"]
        : [],
  },
];
