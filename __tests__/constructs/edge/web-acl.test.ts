import { ValidationError } from "../../../constructs/core/validation";
import { ISO_COUNTRY_CODES } from "../../../constructs/edge/country-codes";
import { MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from "../../../constructs/edge/web-acl";
import { KmsKey } from "../../../constructs/keys/kms-key";
import { guardedSynth } from "../../support/guardrails";
import { testApi } from "../../support/edge";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

const STAGE = "arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/v1";

function build(props: Partial<WebAclProps> = {}) {
  const stack = testStack();
  const logsKey = new KmsKey(stack, "LogsKey", { alias: "smd-test-logs" });
  new WebAcl(stack, "WebAcl", {
    name: "smd-test-inference",
    resourceArns: [STAGE],
    rateLimit: 300,
    maxBodyBytes: 16384,
    logsKey,
    ...props,
  });
  return synthJson(stack);
}

type Rule = {
  name: string;
  priority: number;
  statement: Record<string, unknown>[];
  action?: unknown;
  override_action?: unknown;
};

describe("WebAcl", () => {
  const json = build({ allowedCountries: ["DE", "GB"] });
  const acl = onlyResource(json, "aws_wafv2_web_acl");
  const rules = acl.rule as Rule[];

  it("filters countries, then rates per client IP, then body size, then AWS's managed rule groups", () => {
    expect(acl).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "country-allowlist"],
      [1, "rate-per-client-ip"],
      [2, "body-size"],
      ...MANAGED_RULE_GROUPS.map((g, i) => [10 + i, g]),
    ]);
    expect(rules[0].statement).toEqual([
      { not_statement: [{ statement: [{ geo_match_statement: [{ country_codes: ["DE", "GB"] }] }] }] },
    ]);
    expect(rules[1].statement).toEqual([
      { rate_based_statement: [{ limit: 300, aggregate_key_type: "IP", evaluation_window_sec: 300 }] },
    ]);
    for (const rule of rules.slice(0, 3)) expect(rule.action).toEqual([{ block: [{}] }]);
    for (const rule of rules.slice(3)) expect(rule.override_action).toEqual([{ none: [{}] }]);
  });

  it("blocks bodies above the limit, inspecting far enough to see them, and lets the common set's 8 KB rule only count", () => {
    expect(rules[2].statement).toEqual([
      {
        size_constraint_statement: [
          {
            comparison_operator: "GT",
            size: 16384,
            field_to_match: [{ body: [{ oversize_handling: "MATCH" }] }],
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        ],
      },
    ]);
    expect(acl.association_config).toEqual({
      request_body: [{ api_gateway: { default_size_inspection_limit: "KB_16" } }],
    });
    const common = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet");
    expect(common?.statement).toEqual([
      {
        managed_rule_group_statement: [
          {
            vendor_name: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] }],
          },
        ],
      },
    ]);
    const small = onlyResource(build({ maxBodyBytes: 4096 }), "aws_wafv2_web_acl");
    expect(small.association_config).toBeUndefined();
    expect(JSON.stringify(small.rule)).not.toContain("rule_action_override");
    expect(onlyResource(build({ maxBodyBytes: 40000 }), "aws_wafv2_web_acl").association_config).toEqual({
      request_body: [{ api_gateway: { default_size_inspection_limit: "KB_48" } }],
    });
  });

  it("logs every request to an aws-waf-logs- group under the key, with the token and API key headers redacted", () => {
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "aws-waf-logs-smd-test-inference",
      kms_key_id: expect.stringContaining("aws_kms_key."),
      retention_in_days: 365,
    });
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration")).toMatchObject({
      log_destination_configs: [expect.stringMatching(/:log-group:aws-waf-logs-smd-test-inference$/)],
      redacted_fields: [{ single_header: { name: "authorization" } }, { single_header: { name: "x-api-key" } }],
    });
    const [delivery] = statementsOf(onlyResource(json, "aws_cloudwatch_log_resource_policy").policy_document);
    expect(delivery).toMatchObject({
      Principal: { Service: ["delivery.logs.amazonaws.com"] },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [expect.stringMatching(/:log-group:aws-waf-logs-smd-test-inference:log-stream:\*$/)],
      Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) }, ArnLike: expect.any(Object) },
    });
    expect(onlyResource(json, "aws_wafv2_web_acl_association").resource_arn).toBe(STAGE);
  });

  it("passes every guardrail in front of a real API", () => {
    const result = guardedSynth((s) => {
      const api = testApi(s);
      const logsKey = new KmsKey(s, "WafKey", { alias: "smd-test-waf" });
      new WebAcl(s, "WebAcl", {
        name: "smd-test",
        resourceArns: [api.stageArn],
        rateLimit: 100,
        maxBodyBytes: 8192,
        logsKey,
      });
    });
    expect(result.open).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  it.each<[string, Partial<WebAclProps>, string]>([
    [
      "a rate limit below WAF's minimum",
      { rateLimit: 9 },
      "rateLimit = 9 is not allowed; allowed: a whole number of requests from 10 (WAF's minimum)",
    ],
    ["a fractional rate limit", { rateLimit: 10.5 }, "rateLimit = 10.5"],
    [
      "an evaluation window WAF does not offer",
      { evaluationWindowSeconds: 30 },
      "evaluationWindowSeconds = 30 is not allowed; allowed: 60, 120, 300, 600 seconds",
    ],
    [
      "a body limit above API Gateway's maximum",
      { maxBodyBytes: 11 * 1024 * 1024 },
      "maxBodyBytes = 11534336 is not allowed; allowed: a whole number of bytes up to API Gateway's maximum payload, 10485760 (10 MB)",
    ],
    [
      "a body limit WAF cannot inspect",
      { maxBodyBytes: 65537 },
      "maxBodyBytes = 65537 is not allowed; allowed: at most 65536 (64 KB)",
    ],
    [
      "a country that does not exist",
      { allowedCountries: ["DE", "XX"] },
      'allowedCountries = "XX" is not allowed; allowed: ISO 3166-1 alpha-2',
    ],
    ["the United Kingdom as UK", { allowedCountries: ["UK"] }, "(the United Kingdom is GB, not UK)"],
    ["a country in lower case", { allowedCountries: ["de"] }, 'allowedCountries = "de"'],
    ["a country twice", { allowedCountries: ["DE", "DE"] }, "allowed: each country once"],
    ["an empty allowlist", { allowedCountries: [] }, "allowedCountries = [] is not allowed"],
    ["nothing to protect", { resourceArns: [] }, "resourceArns = []"],
  ])("rejects %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(ValidationError);
    expect(() => build(props)).toThrow(message);
  });

  it("knows the 249 assigned country codes", () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    for (const code of ["AD", "GB", "US", "ZW", "SS", "XK"])
      expect([code, ISO_COUNTRY_CODES.has(code)]).toEqual([code, code !== "XK"]);
  });
});
