import { isAnyPrincipal, readPolicy } from "../policy-documents";
import type { Rule } from "../rule";

const TOPIC = [{ kind: "resource" as const, types: ["aws_sns_topic"] }];

/** Rules for the SNS topics alerts go to. */
export const ALERT_RULES: readonly Rule[] = [
  {
    id: "SMD-SNS-1",
    title: "SNS topics encrypt with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_26"],
    fix: "set kms_master_key_id to a KmsKey that grants EventBridge and CloudWatch (SecurityAlerts does); alias/aws/sns cannot admit them",
    targets: TOPIC,
    check: (topic) => {
      const key = topic.config.kms_master_key_id;
      if (!key) return ["kms_master_key_id is not set, so messages are stored unencrypted"];
      return key === "alias/aws/sns" ? ["kms_master_key_id is the AWS-managed alias/aws/sns"] : [];
    },
  },
  {
    id: "SMD-SNS-2",
    title: "SNS topics refuse messages without TLS",
    level: "error",
    controls: ["C-ENCRYPT-TRANSIT"],
    fix: 'give the topic a policy with a statement that denies sns:Publish to every principal when aws:SecureTransport is "false" (SecurityAlerts does)',
    targets: TOPIC,
    check: (topic, index) => {
      const values = [
        topic.config.policy,
        ...index.referrers(topic, "aws_sns_topic_policy", "arn").map((p) => p.config.policy),
      ];
      const documents = values.filter(Boolean).map((v) => readPolicy(v, index));
      if (documents.length === 0) return ["no topic policy: neither policy nor an aws_sns_topic_policy is set"];
      const denies = documents.some(
        (d) =>
          d.kind === "document" &&
          d.statements.some(
            (s) =>
              s.effect === "Deny" &&
              isAnyPrincipal(s) &&
              s.actions.some((a) => ["sns:Publish", "sns:*", "*"].includes(a)) &&
              ["Bool", "BoolIfExists"].some((op) => s.conditions[op]?.["aws:SecureTransport"]?.includes("false")),
          ),
      );
      return denies ? [] : ["the topic policy has no Deny of sns:Publish for aws:SecureTransport = false"];
    },
  },
];
