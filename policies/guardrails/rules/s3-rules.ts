import { isAnyPrincipal, readPolicy } from "../policy-documents";
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
    title: "The account blocks public access to every bucket",
    level: "error",
    controls: ["C-RESTRICTED-MODEL-ACCESS"],
    fix: "set all four flags of aws_s3_account_public_access_block to true",
    targets: [{ kind: "resource", types: ["aws_s3_account_public_access_block"] }],
    check: (block) => blockFlagProblems(block.config),
  },
];
