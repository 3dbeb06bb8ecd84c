import { problems, type Rule, requireLiteral, unverified } from "../rule";
import { type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";

const STAGE = [{ kind: "resource" as const, types: ["aws_api_gateway_stage"] }];
const METHOD = [{ kind: "resource" as const, types: ["aws_api_gateway_method"] }];
const WEB_ACL = [{ kind: "resource" as const, types: ["aws_wafv2_web_acl"] }];
const LOAD_BALANCER = [{ kind: "resource" as const, types: ["aws_lb", "aws_alb"] }];
const TARGET_GROUP = [{ kind: "resource" as const, types: ["aws_lb_target_group", "aws_alb_target_group"] }];

/** The AWS managed rule groups every web ACL runs: common exploits, known bad inputs (Log4j), IP reputation. */
const REQUIRED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
];
/** Methods that carry a body to validate: `ANY` answers POST, PUT and PATCH as well. */
const BODY_METHODS = ["POST", "PUT", "PATCH", "ANY"];
/** The authorizations that authenticate a caller. */
const AUTHENTICATED = ["AWS_IAM", "COGNITO_USER_POOLS", "CUSTOM"];

/** The elements of a type whose attribute (anywhere inside it) refers to the target. */
function pointingAt(target: StackElement, index: StackIndex, type: string, attribute: string): StackElement[] {
  return index.referrers(target, type, attribute);
}

/** The stage a method-settings resource, a usage plan's API stage or a mapping names: by reference. */
function settingsOf(stage: StackElement, index: StackIndex): StackElement[] {
  return pointingAt(stage, index, "aws_api_gateway_method_settings", "stage_name");
}

/**
 * The managed rule group names and statement kinds of a web ACL's rules that act: a rule in count mode (a rule group's
 * `override_action { count {} }`, a rule's `action { count {} }`) only counts its matches and blocks nothing.
 */
function ruleStatements(acl: StackElement): { groups: string[]; rateBased: boolean } {
  const acting = valuesAt(acl.config, "rule").filter(
    (r) => valuesAt(r, "override_action.count").length === 0 && valuesAt(r, "action.count").length === 0,
  );
  const statements = valuesAt(acting, "statement");
  return {
    groups: valuesAt(statements, "managed_rule_group_statement")
      .filter((g) => valueAt(g, "vendor_name") === "AWS")
      .map((g) => String(valueAt(g, "name"))),
    rateBased: valuesAt(statements, "rate_based_statement").length > 0,
  };
}

/** True for a log group of this stack that WAF can log to: its name begins with `aws-waf-logs-`. */
function wafLogGroup(element: StackElement | undefined): boolean {
  const name = element?.config.name;
  return element?.type === "aws_cloudwatch_log_group" && typeof name === "string" && name.startsWith("aws-waf-logs-");
}

/** Rules for the edge: API Gateway, WAF, load balancers. */
export const EDGE_RULES: readonly Rule[] = [
  {
    id: "SMD-API-1",
    title: "Every API Gateway stage is behind a WAFv2 web ACL",
    level: "error",
    controls: ["C-WAF"],
    checkov: ["CKV2_AWS_29"],
    suppressible: false,
    fix: "associate a regional aws_wafv2_web_acl with the stage (aws_wafv2_web_acl_association, resource_arn = the stage's arn); WebAcl does",
    targets: STAGE,
    check: (stage, index) =>
      pointingAt(stage, index, "aws_wafv2_web_acl_association", "resource_arn").length > 0
        ? []
        : ["no aws_wafv2_web_acl_association of this stack names this stage"],
  },
  {
    id: "SMD-API-2",
    title: "API Gateway stages write access logs to an encrypted log group with a retention, and trace with X-Ray",
    level: "error",
    controls: ["C-AUDIT-TRAIL", "C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_76", "CKV_AWS_73"],
    fix: "set access_log_settings { destination_arn = <an aws_cloudwatch_log_group with kms_key_id and retention_in_days>, format = <JSON> } and xray_tracing_enabled = true (InferenceApi does)",
    targets: STAGE,
    check: (stage, index) => {
      const destination = valueAt(stage.config, "access_log_settings.destination_arn");
      const format = valueAt(stage.config, "access_log_settings.format");
      const group = index.target(destination)?.element;
      return problems(
        destination === undefined
          ? "access_log_settings is not set: requests leave no record"
          : group?.type !== "aws_cloudwatch_log_group"
            ? `${unverified("access_log_settings.destination_arn", destination)} (must be a log group of this stack)`
            : !group.config.kms_key_id || !group.config.retention_in_days
              ? `the access log group ${group.address} has no kms_key_id or no retention_in_days`
              : undefined,
        typeof format === "string" && !format.includes("${") && format.includes("$context.requestId")
          ? undefined
          : "access_log_settings.format does not record $context.requestId",
        requireLiteral(stage.config, "xray_tracing_enabled", true),
      );
    },
  },
  {
    id: "SMD-API-3",
    title: "Every API Gateway method authenticates its caller and requires an API key",
    level: "error",
    controls: ["C-API-AUTH", "C-RATE-LIMITING"],
    checkov: ["CKV_AWS_59", "CKV2_AWS_70"],
    suppressible: false,
    fix: 'set authorization = "COGNITO_USER_POOLS" (with authorizer_id and authorization_scopes) or "AWS_IAM", and api_key_required = true (InferenceApi does): the key puts the caller in a usage plan',
    targets: METHOD,
    check: (method) => {
      const authorization = method.config.authorization;
      const scopes = valuesAt(method.config, "authorization_scopes");
      return problems(
        typeof authorization === "string" && AUTHENTICATED.includes(authorization)
          ? undefined
          : `authorization is ${JSON.stringify(authorization)} (must be ${AUTHENTICATED.join(", ")})`,
        authorization === "COGNITO_USER_POOLS" && (!method.config.authorizer_id || scopes.length === 0)
          ? "a Cognito method needs authorizer_id and authorization_scopes: without scopes any token of the pool passes"
          : undefined,
        authorization === "CUSTOM" && !method.config.authorizer_id ? "a CUSTOM method needs authorizer_id" : undefined,
        requireLiteral(method.config, "api_key_required", true),
      );
    },
  },
  {
    id: "SMD-API-4",
    title: "Every API Gateway method validates its request body against a model",
    level: "error",
    controls: ["C-API-AUTH", "C-WAF"],
    checkov: ["CKV2_AWS_53"],
    fix: "give POST, PUT, PATCH and ANY methods a request_validator_id (an aws_api_gateway_request_validator with validate_request_body = true) and request_models { application/json = <model> } (InferenceApi does)",
    targets: METHOD,
    applies: (method) => BODY_METHODS.includes(String(method.config.http_method)),
    check: (method, index) => {
      const validator = index.target(method.config.request_validator_id)?.element;
      return problems(
        validator?.type === "aws_api_gateway_request_validator" && validator.config.validate_request_body === true
          ? undefined
          : "request_validator_id does not name a request validator of this stack with validate_request_body = true",
        valuesAt(method.config, "request_models").length > 0
          ? undefined
          : "request_models is not set: nothing to validate against",
      );
    },
  },
  {
    id: "SMD-API-5",
    title: "Every API Gateway stage logs errors, emits metrics, throttles, never logs bodies and encrypts its cache",
    level: "error",
    controls: ["C-AUDIT-TRAIL", "C-RATE-LIMITING", "C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_276", "CKV_AWS_308"],
    fix: 'add aws_api_gateway_method_settings for method_path "*/*" of the stage: metrics_enabled = true, logging_level = "ERROR" or "INFO", data_trace_enabled = false, throttling_rate_limit and throttling_burst_limit (0 or more), cache_data_encrypted = true; no per-method settings with data_trace_enabled = true (InferenceApi does)',
    targets: STAGE,
    check: (stage, index) => {
      const ofStage = settingsOf(stage, index);
      const all = ofStage.filter((s) => s.config.method_path === "*/*");
      if (all.length === 0) return ['no aws_api_gateway_method_settings of method_path "*/*" names this stage'];
      // A method's own settings override the stage's: none of them may log bodies either.
      const tracing = ofStage
        .filter((s) => s.config.method_path !== "*/*" && valueAt(s.config, "settings.data_trace_enabled") === true)
        .map((s) => `${s.address} logs the full requests and responses of ${String(s.config.method_path)}`);
      return tracing.concat(
        all.flatMap((s) => {
          const settings = (valueAt(s.config, "settings") ?? {}) as Record<string, unknown>;
          return problems(
            requireLiteral(settings, "metrics_enabled", true),
            settings.logging_level === "ERROR" || settings.logging_level === "INFO"
              ? undefined
              : `settings.logging_level is ${JSON.stringify(settings.logging_level)} (must be ERROR or INFO)`,
            requireLiteral(settings, "data_trace_enabled", false),
            // -1, the provider's default, turns throttling off.
            typeof settings.throttling_rate_limit === "number" &&
              settings.throttling_rate_limit >= 0 &&
              typeof settings.throttling_burst_limit === "number" &&
              settings.throttling_burst_limit >= 0
              ? undefined
              : "settings.throttling_rate_limit and throttling_burst_limit are not both set (-1 turns throttling off)",
            requireLiteral(settings, "cache_data_encrypted", true),
          );
        }),
      );
    },
  },
  {
    id: "SMD-API-6",
    title: "Every API Gateway stage is in a usage plan with throttling and a quota",
    level: "error",
    controls: ["C-RATE-LIMITING"],
    fix: "add an aws_api_gateway_usage_plan with api_stages naming the stage, throttle_settings (rate_limit, burst_limit) and quota_settings (limit, period) (InferenceApi makes one per tier): the per-key quota is the control against model extraction",
    targets: STAGE,
    check: (stage, index) => {
      const plans = pointingAt(stage, index, "aws_api_gateway_usage_plan", "api_stages");
      if (plans.length === 0) return ["no aws_api_gateway_usage_plan of this stack names this stage"];
      return plans.flatMap((plan) => {
        const throttle = valueAt(plan.config, "throttle_settings") as Record<string, unknown> | undefined;
        const quota = valueAt(plan.config, "quota_settings") as Record<string, unknown> | undefined;
        return problems(
          throttle && typeof throttle.rate_limit === "number" && typeof throttle.burst_limit === "number"
            ? undefined
            : `the usage plan ${plan.address} sets no throttle_settings rate_limit and burst_limit`,
          quota && typeof quota.limit === "number" && quota.limit > 0 && typeof quota.period === "string"
            ? undefined
            : `the usage plan ${plan.address} sets no quota_settings limit and period`,
        );
      });
    },
  },
  {
    id: "SMD-API-7",
    title:
      "API Gateway deployments and APIs are replaced before they are destroyed; custom domains use TLS 1.2 and retire the default endpoint",
    level: "error",
    controls: ["C-ENCRYPT-TRANSIT", "C-GOVERNANCE"],
    checkov: ["CKV_AWS_217", "CKV_AWS_237", "CKV_AWS_206"],
    fix: 'set lifecycle { create_before_destroy = true } on aws_api_gateway_deployment and aws_api_gateway_rest_api; give aws_api_gateway_domain_name security_policy = "TLS_1_2" and set disable_execute_api_endpoint = true on an API mapped to it (InferenceApi does)',
    targets: [
      {
        kind: "resource",
        types: ["aws_api_gateway_deployment", "aws_api_gateway_rest_api", "aws_api_gateway_domain_name"],
      },
    ],
    check: (element, index) => {
      if (element.type === "aws_api_gateway_domain_name") {
        return problems(requireLiteral(element.config, "security_policy", "TLS_1_2"));
      }
      const found = problems(
        valueAt(element.config, "lifecycle.create_before_destroy") === true
          ? undefined
          : "lifecycle.create_before_destroy is not true: a change would take the API down before its replacement exists",
      );
      if (element.type === "aws_api_gateway_rest_api") {
        const mapped = pointingAt(element, index, "aws_api_gateway_base_path_mapping", "api_id").length > 0;
        if (mapped && element.config.disable_execute_api_endpoint !== true) {
          found.push(
            "a custom domain serves this API, but its execute-api endpoint is still on: callers could bypass the domain's TLS policy",
          );
        }
      }
      return found;
    },
  },
  {
    id: "SMD-WAF-1",
    title: "Web ACLs run AWS's common, known-bad-inputs (Log4j) and IP reputation rules and a rate-based rule",
    level: "error",
    controls: ["C-WAF", "C-RATE-LIMITING"],
    checkov: ["CKV_AWS_192", "CKV_AWS_175", "CKV_AWS_342"],
    fix: `add rules with managed_rule_group_statement { vendor_name = "AWS", name = ${REQUIRED_RULE_GROUPS.join(" / ")} } and a rate_based_statement, none of them in count mode (WebAcl does)`,
    targets: WEB_ACL,
    check: (acl) => {
      const { groups, rateBased } = ruleStatements(acl);
      return [
        ...REQUIRED_RULE_GROUPS.filter((g) => !groups.includes(g)).map(
          (g) => `no rule runs the managed rule group ${g}`,
        ),
        ...(rateBased ? [] : ["no rate_based_statement: one client can send without limit"]),
      ];
    },
  },
  {
    id: "SMD-WAF-2",
    title: "Web ACLs log to an aws-waf-logs- destination with the authorization header redacted",
    level: "error",
    controls: ["C-AUDIT-TRAIL", "C-SECRETS"],
    checkov: ["CKV2_AWS_31", "CKV_AWS_176"],
    fix: 'add an aws_wafv2_web_acl_logging_configuration for the web ACL whose log_destination_configs is an aws-waf-logs-* log group and whose redacted_fields include single_header { name = "authorization" } (WebAcl does)',
    targets: WEB_ACL,
    check: (acl, index) => {
      const logging = pointingAt(acl, index, "aws_wafv2_web_acl_logging_configuration", "resource_arn");
      if (logging.length === 0) return ["no aws_wafv2_web_acl_logging_configuration of this stack names this web ACL"];
      return logging.flatMap((l) => {
        const destinations = valuesAt(l.config, "log_destination_configs").map(String);
        const redacted = valuesAt(l.config, "redacted_fields.single_header.name").map((n) => String(n).toLowerCase());
        return problems(
          destinations.some((d) => d.includes(":log-group:aws-waf-logs-") || wafLogGroup(index.target(d)?.element))
            ? undefined
            : `${l.address} logs to none of this account's aws-waf-logs-* log groups`,
          redacted.includes("authorization") ? undefined : `${l.address} does not redact the authorization header`,
        );
      });
    },
  },
  {
    id: "SMD-LB-1",
    title: "Load balancers are internal, protected from deletion, logged and behind security groups",
    level: "error",
    controls: ["C-NETWORK-ISOLATION", "C-AUDIT-TRAIL", "C-DATA-DURABILITY"],
    checkov: ["CKV_AWS_150", "CKV_AWS_91"],
    fix: "set internal = true, enable_deletion_protection = true, access_logs { bucket, enabled = true } and security_groups (InferenceLoadBalancer does); the internet reaches models only through API Gateway and WAF",
    targets: LOAD_BALANCER,
    check: (lb) =>
      problems(
        requireLiteral(lb.config, "internal", true),
        requireLiteral(lb.config, "enable_deletion_protection", true),
        valueAt(lb.config, "access_logs.enabled") === true && valueAt(lb.config, "access_logs.bucket")
          ? undefined
          : "access_logs is not enabled with a bucket",
        valuesAt(lb.config, "security_groups").length > 0 ? undefined : "security_groups is not set",
      ),
  },
  {
    id: "SMD-LB-2",
    title: "Target groups check their targets' health",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_261"],
    fix: "set health_check { enabled = true, protocol, path (HTTP) } on the target group (InferenceLoadBalancer probes each model's readiness path)",
    targets: TARGET_GROUP,
    check: (group) => {
      const health = valueAt(group.config, "health_check") as Record<string, unknown> | undefined;
      return problems(
        health === undefined ? "health_check is not set" : undefined,
        health && health.enabled === false ? "health_check.enabled is false" : undefined,
        health && health.protocol === "HTTP" && !health.path ? "an HTTP health_check has no path" : undefined,
      );
    },
  },
];
