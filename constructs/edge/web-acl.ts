import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkLowercaseName, ValidationError } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";
import type { KmsKey } from "../keys/kms-key";
import { EncryptedLogGroup } from "../logging/encrypted-log-group";
import { checkCountryCodes } from "./country-codes";
import { API_GATEWAY_MAX_PAYLOAD_BYTES } from "./inference-api";

/** WAF's lowest and highest rate limit per aggregation key and evaluation window. */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

/** The evaluation windows a rate-based rule may count over, in seconds. */
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;

/** The most of a request body WAF can inspect for API Gateway, in bytes (the `KB_64` inspection limit). */
export const WAF_MAX_BODY_INSPECTION_BYTES = 64 * 1024;

/** The body inspection limits WAF offers for API Gateway beyond its default 8 KB, smallest first. */
const INSPECTION_LIMITS = [
  [16 * 1024, "KB_16"],
  [32 * 1024, "KB_32"],
  [48 * 1024, "KB_48"],
  [64 * 1024, "KB_64"],
] as const;

/** AWS's managed rule groups every web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
] as const;

/** Request headers the WAF log never shows: the caller's token and API key. */
export const REDACTED_HEADERS = ["authorization", "x-api-key"] as const;

/** Properties of a {@link WebAcl}. */
export interface WebAclProps {
  /** The web ACL's name: lowercase letters, digits and hyphens, 2 to 40 characters. */
  readonly name: string;
  /** The regional resources it protects (API Gateway stages), by ARN. */
  readonly resourceArns: readonly string[];
  /** Requests one client IP may make in `evaluationWindowSeconds` before it is blocked: 10 or more. */
  readonly rateLimit: number;
  /** The window the rate limit counts over, in seconds: 60, 120, 300 or 600. Default: 300. */
  readonly evaluationWindowSeconds?: number;
  /** The largest request body allowed, in bytes: 1 to 64 KB (what WAF can inspect; API Gateway's own limit is 10 MB). */
  readonly maxBodyBytes: number;
  /** Countries (ISO 3166-1 alpha-2) requests may come from; any other is blocked. Default: no country filter. */
  readonly allowedCountries?: readonly string[];
  /** The key of the WAF log group. */
  readonly logsKey: KmsKey;
  /** Days the WAF log is kept: one of CloudWatch Logs' periods. Default: 365. */
  readonly logRetentionInDays?: number;
}

/**
 * A regional WAFv2 web ACL in front of the inference API: a country allowlist (when given), a rate limit per client
 * IP, a body-size limit (WAF's body inspection raised to cover it; a larger body is blocked, not let through
 * uninspected), then AWS's managed rule groups: the common rule set (its own 8 KB body rule counts instead when the
 * limit is larger), known bad inputs (Log4j among them), the IP reputation list and anonymous IPs (VPNs, Tor, hosting
 * providers). Every request is logged to an `aws-waf-logs-` group under the logs key, with the `authorization` and
 * `x-api-key` headers redacted; the log delivery service may write only that group, for this account.
 */
export class WebAcl extends Construct {
  /** The `aws_wafv2_web_acl`. */
  public readonly webAcl: Wafv2WebAcl;
  /** The WAF log group. */
  public readonly logGroup: EncryptedLogGroup;
  /** The web ACL's name (its CloudWatch metrics' dimension). */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    if (props.resourceArns.length === 0) {
      throw new ValidationError(where, "resourceArns", props.resourceArns, "allowed: at least one resource to protect");
    }
    checkRateLimit(where, "rateLimit", props.rateLimit);
    const window = props.evaluationWindowSeconds ?? 300;
    checkEvaluationWindow(where, "evaluationWindowSeconds", window);
    checkBodyLimit(where, "maxBodyBytes", props.maxBodyBytes);
    if (props.allowedCountries !== undefined) checkCountryCodes(where, "allowedCountries", props.allowedCountries);
    const context = AwsContext.of(this);
    this.name = props.name;

    const visibility = (metricName: string) => [
      { cloudwatch_metrics_enabled: true, metric_name: metricName, sampled_requests_enabled: true },
    ];
    const block = [{ block: [{}] }];
    const rules: Record<string, unknown>[] = [];
    if (props.allowedCountries) {
      rules.push({
        name: "country-allowlist",
        priority: 0,
        action: block,
        statement: [
          {
            not_statement: [{ statement: [{ geo_match_statement: [{ country_codes: [...props.allowedCountries] }] }] }],
          },
        ],
        visibility_config: visibility(`${props.name}-country`),
      });
    }
    rules.push(
      {
        name: "rate-per-client-ip",
        priority: 1,
        action: block,
        statement: [
          {
            rate_based_statement: [{ limit: props.rateLimit, aggregate_key_type: "IP", evaluation_window_sec: window }],
          },
        ],
        visibility_config: visibility(`${props.name}-rate`),
      },
      {
        name: "body-size",
        priority: 2,
        action: block,
        statement: [
          {
            size_constraint_statement: [
              {
                comparison_operator: "GT",
                size: props.maxBodyBytes,
                // A body larger than WAF inspects counts as matching: it is blocked, never passed uninspected.
                field_to_match: [{ body: [{ oversize_handling: "MATCH" }] }],
                text_transformation: [{ priority: 0, type: "NONE" }],
              },
            ],
          },
        ],
        visibility_config: visibility(`${props.name}-body-size`),
      },
    );
    MANAGED_RULE_GROUPS.forEach((group, i) => {
      const overrides =
        group === "AWSManagedRulesCommonRuleSet" && props.maxBodyBytes > 8 * 1024
          ? // The common rule set blocks bodies over 8 KB; the body-size rule above enforces the configured limit.
            [{ name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] }]
          : undefined;
      rules.push({
        name: group,
        priority: 10 + i,
        override_action: [{ none: [{}] }],
        statement: [
          {
            managed_rule_group_statement: [
              { vendor_name: "AWS", name: group, ...(overrides ? { rule_action_override: overrides } : {}) },
            ],
          },
        ],
        visibility_config: visibility(`${props.name}-${group}`),
      });
    });
    const inspection = INSPECTION_LIMITS.find(
      ([bytes]) => bytes >= props.maxBodyBytes && props.maxBodyBytes > 8 * 1024,
    );
    this.webAcl = new Wafv2WebAcl(this, "WebAcl", {
      name: props.name,
      description: `Inference API ${props.name}: rate limit per client IP, body size, AWS managed rules`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
      associationConfig: inspection
        ? { requestBody: [{ apiGateway: { defaultSizeInspectionLimit: inspection[1] } }] }
        : undefined,
      tags: { Name: props.name },
    });
    // The rule statements are written as Terraform JSON: the prebuilt binding leaves the recursive `statement` out.
    this.webAcl.addOverride("rule", rules);

    this.logGroup = new EncryptedLogGroup(this, "Logs", {
      name: `aws-waf-logs-${props.name}`,
      encryptionKey: props.logsKey,
      retentionInDays: props.logRetentionInDays ?? 365,
    });
    const delivery = new CloudwatchLogResourcePolicy(this, "LogDelivery", {
      policyName: `aws-waf-logs-${props.name}`,
      policyDocument: new PolicyDocument(`${where} log delivery policy`, [
        {
          sid: "WafLogDelivery",
          principals: { service: ["delivery.logs.amazonaws.com"] },
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:log-stream:*`],
          conditions: {
            StringEquals: { "aws:SourceAccount": context.accountId },
            ArnLike: { "aws:SourceArn": `arn:${context.partition}:logs:${context.region}:${context.accountId}:*` },
          },
        },
      ]).toJson(),
    });
    new Wafv2WebAclLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      dependsOn: [delivery, this.logGroup.resource],
    });
    props.resourceArns.forEach((resourceArn, i) => {
      new Wafv2WebAclAssociation(this, `Association${i}`, { resourceArn, webAclArn: this.webAcl.arn });
    });
  }
}

/** Checks a body limit: 1 byte to WAF's 64 KB inspection limit, and never above API Gateway's 10 MB payload limit. */
export function checkBodyLimit(where: string, property: string, bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > API_GATEWAY_MAX_PAYLOAD_BYTES) {
    throw new ValidationError(
      where,
      property,
      bytes,
      `allowed: a whole number of bytes up to API Gateway's maximum payload, ${API_GATEWAY_MAX_PAYLOAD_BYTES} (10 MB)`,
    );
  }
  if (bytes > WAF_MAX_BODY_INSPECTION_BYTES) {
    throw new ValidationError(
      where,
      property,
      bytes,
      `allowed: at most ${WAF_MAX_BODY_INSPECTION_BYTES} (64 KB), the most of a body WAF can inspect for API Gateway: a larger limit could not be enforced`,
    );
  }
}

/** Checks a rate limit per client IP: WAF's minimum (10) to its maximum. */
export function checkRateLimit(where: string, property: string, limit: number): void {
  if (!Number.isInteger(limit) || limit < WAF_RATE_LIMIT.min || limit > WAF_RATE_LIMIT.max) {
    throw new ValidationError(
      where,
      property,
      limit,
      `allowed: a whole number of requests from ${WAF_RATE_LIMIT.min} (WAF's minimum) to ${WAF_RATE_LIMIT.max}`,
    );
  }
}

/** Checks a rate-based rule's evaluation window: 60, 120, 300 or 600 seconds. */
export function checkEvaluationWindow(where: string, property: string, seconds: number): void {
  if (!(WAF_EVALUATION_WINDOWS as readonly number[]).includes(seconds)) {
    throw new ValidationError(where, property, seconds, `allowed: ${WAF_EVALUATION_WINDOWS.join(", ")} seconds`);
  }
}
