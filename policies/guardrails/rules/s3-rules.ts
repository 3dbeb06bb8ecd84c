import { isAnyPrincipal, type NormalStatement, readPolicy } from "../policy-documents";
import { problems, type Rule, requireLiteral, unverified } from "../rule";
import { isReference, type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";

const BUCKET = [{ kind: "resource" as const, types: ["aws_s3_bucket"] }];
const BLOCK_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read", "website"];

/** The problems with the four public-access-block flags of a block resource. */
function blockFlagProblems(config: Readonly<Record<string, unknown>>): string[] {
  return problems(...BLOCK_FLAGS.map((flag) => requireLiteral(config, flag, true)));
}

/** The companion resources of a bucket: those of `type` whose `bucket` refers to it. */
function companions(bucket: StackElement, index: StackIndex, type: string): StackElement[] {
  return index.referrers(bucket, type, "bucket");
}

/** The tag that marks a bucket as a model store (ModelStore sets it), for the model-store rules. */
export const MODEL_STORE_TAG = { key: "BlueprintRole", value: "model-store" } as const;

/** True when a bucket is tagged as a model store. */
function isModelStore(bucket: StackElement): boolean {
  return valueAt(bucket.config, `tags.${MODEL_STORE_TAG.key}`) === MODEL_STORE_TAG.value;
}

/** True when a statement's actions cover an S3 action (exactly, or through `s3:*`, `*` or a pattern). */
function covers(statement: NormalStatement, action: string): boolean {
  return statement.actions.some((a) => {
    if (a === "*" || a === action) return true;
    const pattern = new RegExp(
      `^${a
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
      "i",
    );
    return pattern.test(action);
  });
}

/** The values a statement's conditions give a key under any of the operators (case-insensitive key). */
function conditionValues(statement: NormalStatement, operators: readonly string[], key: string): string[] {
  return Object.entries(statement.conditions)
    .filter(([operator]) => operators.includes(operator))
    .flatMap(([, entries]) =>
      Object.entries(entries)
        .filter(([k]) => k.toLowerCase() === key.toLowerCase())
        .flatMap(([, values]) => values),
    );
}

/** The Deny statements for every principal in the bucket policies of a bucket, or undefined if none is readable. */
function bucketDenials(bucket: StackElement, index: StackIndex): NormalStatement[] | undefined {
  const policies = companions(bucket, index, "aws_s3_bucket_policy").map((p) => readPolicy(p.config.policy, index));
  const documents = policies.filter((p) => p.kind === "document");
  if (documents.length === 0) return undefined;
  return documents.flatMap((p) => p.statements).filter((s) => s.effect === "Deny" && isAnyPrincipal(s));
}

const EXCEPT_PRINCIPALS = ["ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike"];

/** What a model store's bucket policy must deny, each as a test over its Deny statements. */
const MODEL_STORE_DENIALS: readonly { what: string; test: (s: NormalStatement) => boolean }[] = [
  {
    what: "object writes (s3:PutObject) by every principal but the named publishers (aws:PrincipalArn)",
    test: (s) => covers(s, "s3:PutObject") && conditionValues(s, EXCEPT_PRINCIPALS, "aws:PrincipalArn").length > 0,
  },
  {
    what: "uploads under another KMS key (s3:x-amz-server-side-encryption-aws-kms-key-id)",
    test: (s) =>
      covers(s, "s3:PutObject") &&
      conditionValues(
        s,
        ["StringNotEquals", "StringNotEqualsIfExists"],
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
      ).length > 0,
  },
  {
    what: "reads (s3:GetObject) that do not come through the VPC endpoint (aws:SourceVpce)",
    test: (s) =>
      covers(s, "s3:GetObject") &&
      conditionValues(s, ["StringNotEquals", "StringNotEqualsIfExists"], "aws:SourceVpce").length > 0,
  },
  ...["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutBucketPolicy"].map(
    (action) => ({
      what: `${action} by every principal but the break-glass role (aws:PrincipalArn)`,
      test: (s: NormalStatement) =>
        covers(s, action) && conditionValues(s, EXCEPT_PRINCIPALS, "aws:PrincipalArn").length > 0,
    }),
  ),
];

/** Reads an event rule's pattern, when it is literal JSON. */
function eventPattern(rule: StackElement): Record<string, unknown> | undefined {
  const text = rule.config.event_pattern;
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Rules for S3 buckets and the account-level public access block. */
export const S3_RULES: readonly Rule[] = [
  {
    id: "SMD-S3-1",
    title: "S3 buckets are never public",
    level: "error",
    suppressible: false,
    controls: ["C-RESTRICTED-MODEL-ACCESS"],
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_20", "CKV_AWS_57"],
    fix: "add an aws_s3_bucket_public_access_block for the bucket with all four flags true, and no public ACL",
    targets: BUCKET,
    check: (bucket, index) => {
      const found: string[] = [];
      const blocks = companions(bucket, index, "aws_s3_bucket_public_access_block");
      if (blocks.length === 0) found.push("no aws_s3_bucket_public_access_block refers to the bucket");
      for (const block of blocks) for (const p of blockFlagProblems(block.config)) found.push(`${block.address}: ${p}`);
      const acls = [bucket.config.acl, ...companions(bucket, index, "aws_s3_bucket_acl").map((a) => a.config.acl)];
      for (const acl of acls) {
        if (typeof acl === "string" && PUBLIC_ACLS.includes(acl)) found.push(`the bucket has the public ACL ${acl}`);
      }
      return found;
    },
  },
  {
    id: "SMD-S3-2",
    title: "S3 buckets encrypt with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_145", "CKV_AWS_19"],
    fix: 'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and the kms_master_key_id of a KmsKey',
    targets: BUCKET,
    check: (bucket, index) => {
      const defaults = [
        ...valuesAt(bucket.config, "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default"),
        ...companions(bucket, index, "aws_s3_bucket_server_side_encryption_configuration").flatMap((c) =>
          valuesAt(c.config, "rule.apply_server_side_encryption_by_default"),
        ),
      ] as Record<string, unknown>[];
      if (defaults.length === 0) return ["no server-side encryption configuration refers to the bucket"];
      const found: string[] = [];
      for (const d of defaults) {
        const algorithm = d.sse_algorithm;
        if (isReference(algorithm)) found.push(unverified("sse_algorithm", algorithm));
        else if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
          found.push(`sse_algorithm is ${JSON.stringify(algorithm ?? null)} (must be "aws:kms" or "aws:kms:dsse")`);
        }
        if (!d.kms_master_key_id) found.push("kms_master_key_id is not set, so S3 uses the AWS-managed key");
      }
      return found;
    },
  },
  {
    id: "SMD-S3-3",
    title: "S3 buckets keep every version of every object",
    level: "error",
    controls: ["C-DATA-DURABILITY", "C-ARTIFACT-INTEGRITY"],
    checkov: ["CKV_AWS_21"],
    fix: 'add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status = "Enabled"',
    targets: BUCKET,
    check: (bucket, index) => {
      if (valueAt(bucket.config, "versioning.enabled") === true) return [];
      const versioning = companions(bucket, index, "aws_s3_bucket_versioning");
      if (versioning.length === 0) return ["no aws_s3_bucket_versioning refers to the bucket"];
      return versioning.flatMap((v) => {
        const status = valueAt(v.config, "versioning_configuration.status");
        if (status === "Enabled") return [];
        return isReference(status)
          ? [`${v.address}: ${unverified("status", status)}`]
          : [`${v.address}: status is ${JSON.stringify(status ?? null)} (must be "Enabled")`];
      });
    },
  },
  {
    id: "SMD-S3-4",
    title: "S3 buckets log every access",
    level: "error",
    controls: ["C-AUDIT-TRAIL"],
    checkov: ["CKV_AWS_18"],
    fix: "add an aws_s3_bucket_logging for the bucket that delivers to a log bucket",
    targets: BUCKET,
    check: (bucket, index) => {
      if (valueAt(bucket.config, "logging.target_bucket")) return [];
      const logging = companions(bucket, index, "aws_s3_bucket_logging");
      if (logging.length === 0) return ["no aws_s3_bucket_logging refers to the bucket"];
      return logging.flatMap((l) => (l.config.target_bucket ? [] : [`${l.address}: target_bucket is not set`]));
    },
  },
  {
    id: "SMD-S3-5",
    title: "S3 buckets refuse requests without TLS",
    level: "error",
    controls: ["C-ENCRYPT-TRANSIT"],
    fix: 'add an aws_s3_bucket_policy with a statement that denies "s3:*" to every principal when aws:SecureTransport is "false"',
    targets: BUCKET,
    check: (bucket, index) => {
      const policies = companions(bucket, index, "aws_s3_bucket_policy").map((p) => readPolicy(p.config.policy, index));
      if (policies.length === 0) return ["no aws_s3_bucket_policy refers to the bucket"];
      const deniesPlainHttp = policies.some(
        (p) =>
          p.kind === "document" &&
          p.statements.some(
            (s) =>
              s.effect === "Deny" &&
              isAnyPrincipal(s) &&
              (s.actions.includes("s3:*") || s.actions.includes("*")) &&
              ["Bool", "BoolIfExists"].some((op) => s.conditions[op]?.["aws:SecureTransport"]?.includes("false")),
          ),
      );
      return deniesPlainHttp ? [] : ["the bucket policy has no Deny of s3:* for aws:SecureTransport = false"];
    },
  },
  {
    id: "SMD-S3-6",
    title: "S3 buckets are protected from destroy",
    level: "error",
    controls: ["C-DATA-DURABILITY"],
    fix: "set lifecycle.prevent_destroy = true and leave force_destroy unset or false",
    targets: BUCKET,
    check: (bucket) => {
      const found: string[] = [];
      const prevent = valueAt(bucket.config, "lifecycle.prevent_destroy");
      if (prevent !== true)
        found.push(`lifecycle.prevent_destroy is ${JSON.stringify(prevent ?? null)} (must be true)`);
      const force = bucket.config.force_destroy;
      if (force !== undefined && force !== false) found.push(`force_destroy is ${JSON.stringify(force)}`);
      return found;
    },
  },
  {
    id: "SMD-S3-7",
    profiles: ["platform"],
    title: "The account blocks public access to every bucket",
    level: "error",
    controls: ["C-RESTRICTED-MODEL-ACCESS"],
    fix: "set all four flags of aws_s3_account_public_access_block to true",
    targets: [{ kind: "resource", types: ["aws_s3_account_public_access_block"] }],
    check: (block) => blockFlagProblems(block.config),
  },
  {
    id: "SMD-S3-8",
    title: "Model stores lock every new object version (S3 Object Lock with a default retention)",
    level: "error",
    controls: ["C-ARTIFACT-INTEGRITY", "C-DATA-DURABILITY"],
    fix: 'set object_lock_enabled = true on the bucket and add an aws_s3_bucket_object_lock_configuration with rule.default_retention (mode "GOVERNANCE" or "COMPLIANCE", days or years); ModelStore does',
    targets: BUCKET,
    applies: (bucket) => bucket.config.object_lock_enabled === true || isModelStore(bucket),
    check: (bucket, index) => {
      const locked = bucket.config.object_lock_enabled === true;
      const found: string[] = [];
      if (!locked)
        found.push("object_lock_enabled is not true (Object Lock can only be turned on when the bucket is created)");
      const configurations = companions(bucket, index, "aws_s3_bucket_object_lock_configuration");
      if (configurations.length === 0) found.push("no aws_s3_bucket_object_lock_configuration refers to the bucket");
      for (const c of configurations) {
        const retention = valuesAt(c.config, "rule.default_retention")[0] as Record<string, unknown> | undefined;
        if (!retention) found.push(`${c.address}: no rule.default_retention, so new versions are not locked`);
        else {
          if (!["GOVERNANCE", "COMPLIANCE"].includes(String(retention.mode))) {
            found.push(`${c.address}: mode is ${JSON.stringify(retention.mode ?? null)}`);
          }
          if (retention.days === undefined && retention.years === undefined)
            found.push(`${c.address}: neither days nor years is set`);
        }
      }
      return found;
    },
  },
  {
    id: "SMD-S3-9",
    title: "Model stores deny writes, off-endpoint reads and destructive changes to all but the named roles",
    level: "error",
    suppressible: false,
    controls: ["C-RESTRICTED-MODEL-ACCESS", "C-ARTIFACT-INTEGRITY"],
    fix: "give the bucket (tagged BlueprintRole = model-store) a policy that denies, to every principal but the named ones: s3:PutObject (publishers), uploads under another key, s3:GetObject without the VPC endpoint (aws:SourceVpce), and deletes of versions, the governance bypass, retention and policy changes (break-glass); ModelStore does",
    targets: BUCKET,
    applies: isModelStore,
    check: (bucket, index) => {
      const denials = bucketDenials(bucket, index);
      if (!denials) return ["no readable aws_s3_bucket_policy refers to the bucket"];
      return MODEL_STORE_DENIALS.filter((d) => !denials.some(d.test)).map(
        (d) => `the bucket policy does not deny ${d.what}`,
      );
    },
  },
  {
    id: "SMD-S3-10",
    title: "Replication encrypts every replica under a customer key and keeps deletes out of it",
    level: "error",
    controls: ["C-ENCRYPT-REST", "C-DATA-DURABILITY"],
    checkov: ["CKV_AWS_144"],
    fix: 'in every rule: set destination.encryption_configuration.replica_kms_key_id, source_selection_criteria.sse_kms_encrypted_objects.status = "Enabled", and delete_marker_replication.status = "Disabled"',
    targets: [{ kind: "resource", types: ["aws_s3_bucket_replication_configuration"] }],
    check: (replication) =>
      (valuesAt(replication.config, "rule") as Record<string, unknown>[]).flatMap((rule, i) => {
        const at = `rule ${String(rule.id ?? i + 1)}`;
        const found: string[] = [];
        if (!valueAt(rule, "destination.encryption_configuration.replica_kms_key_id")) {
          found.push(`${at}: destination.encryption_configuration.replica_kms_key_id is not set`);
        }
        if (valueAt(rule, "source_selection_criteria.sse_kms_encrypted_objects.status") !== "Enabled") {
          found.push(`${at}: SSE-KMS objects are not selected (source_selection_criteria.sse_kms_encrypted_objects)`);
        }
        if (valueAt(rule, "delete_marker_replication.status") === "Enabled") {
          found.push(`${at}: delete markers are replicated, so a delete reaches the replica too`);
        }
        return found;
      }),
  },
  {
    id: "SMD-S3-11",
    title: "S3 buckets refuse uploads encrypted with customer-provided keys (SSE-C)",
    level: "error",
    controls: ["C-ENCRYPT-REST"],
    fix: 'add "SSE-C" to rule.blocked_encryption_types of the bucket\'s aws_s3_bucket_server_side_encryption_configuration (SecureBucket does): an SSE-C object is readable only with a key nobody manages',
    targets: BUCKET,
    check: (bucket, index) => {
      const configurations = companions(bucket, index, "aws_s3_bucket_server_side_encryption_configuration");
      // A bucket with no encryption configuration at all is SMD-S3-2's finding.
      return configurations.flatMap((c) => {
        const blocked = valuesAt(c.config, "rule.blocked_encryption_types");
        return blocked.includes("SSE-C")
          ? []
          : [`${c.address}: rule.blocked_encryption_types does not include "SSE-C"`];
      });
    },
  },
  {
    id: "SMD-S3-12",
    title: "Model stores raise a tamper alert on every write or delete by anyone but their publishers",
    level: "error",
    controls: ["C-ARTIFACT-INTEGRITY", "C-AUDIT-TRAIL"],
    fix: "add an aws_cloudwatch_event_rule on the bucket's CloudTrail data events (eventName PutObject and DeleteObject among them, requestParameters.bucketName = the bucket) with an aws_cloudwatch_event_target on an SNS topic; ModelTamperAlert does",
    targets: BUCKET,
    applies: isModelStore,
    check: (bucket, index) => {
      const name = bucket.config.bucket;
      if (typeof name !== "string" || isReference(name)) return [unverified("bucket", name)];
      const rules = index.all("resource", "aws_cloudwatch_event_rule").filter((rule) => {
        const pattern = eventPattern(rule);
        const names = valuesAt(pattern, "detail.eventName");
        return (
          valuesAt(pattern, "detail.requestParameters.bucketName").includes(name) &&
          names.includes("PutObject") &&
          names.includes("DeleteObject")
        );
      });
      if (rules.length === 0) return [`no aws_cloudwatch_event_rule matches writes and deletes in ${name}`];
      const alerted = rules.some((rule) =>
        index
          .referrers(rule, "aws_cloudwatch_event_target", "rule")
          .some(
            (t) =>
              /^arn:aws[a-z-]*:sns:/.test(String(t.config.arn)) ||
              index.target(t.config.arn)?.element.type === "aws_sns_topic",
          ),
      );
      return alerted ? [] : [`the tamper rule for ${name} has no aws_cloudwatch_event_target on an SNS topic`];
    },
  },
];
