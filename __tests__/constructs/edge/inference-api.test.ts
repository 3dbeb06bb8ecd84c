import { ValidationError } from "../../../constructs/core/validation";
import { ACCESS_LOG_FORMAT, InferenceApi, type InferenceApiProps } from "../../../constructs/edge/inference-api";
import { WorkloadRole } from "../../../constructs/identity/workload-role";
import { apiProps, edgeLogs, testApi, testLoadBalancer } from "../../support/edge";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

function build(props: Partial<InferenceApiProps> = {}) {
  const stack = testStack();
  const api = testApi(stack, props);
  return { api, json: synthJson(stack) };
}

describe("InferenceApi", () => {
  const { json } = build();
  const method = onlyResource(json, "aws_api_gateway_method");
  const stage = onlyResource(json, "aws_api_gateway_stage");

  it("is a regional REST API whose POST /v1/models/<name>/invoke proxies to the model's listener through a VPC link", () => {
    expect(onlyResource(json, "aws_api_gateway_rest_api")).toMatchObject({
      endpoint_configuration: { types: ["REGIONAL"] },
      api_key_source: "HEADER",
      disable_execute_api_endpoint: false,
      lifecycle: { create_before_destroy: true },
    });
    expect(Object.values(resourcesOf(json, "aws_api_gateway_resource")).map((r) => r.path_part)).toEqual(
      expect.arrayContaining(["v1", "models", "fraud-detection", "invoke"]),
    );
    expect(onlyResource(json, "aws_api_gateway_integration")).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "POST",
      connection_type: "VPC_LINK",
      connection_id: expect.stringContaining("aws_api_gateway_vpc_link."),
      uri: expect.stringMatching(/^http:\/\/\$\{aws_lb\.LoadBalancer_\w+\.dns_name\}:30080\/invoke$/),
      timeout_milliseconds: 29000,
    });
    expect(onlyResource(json, "aws_api_gateway_vpc_link").target_arns).toEqual([
      expect.stringMatching(/^\$\{aws_lb\.LoadBalancer_\w+\.arn\}$/),
    ]);
  });

  it("authenticates with the Cognito authorizer and the inference/invoke scope, requires a key and validates the body", () => {
    expect(method).toMatchObject({
      http_method: "POST",
      authorization: "COGNITO_USER_POOLS",
      authorizer_id: expect.stringContaining("aws_api_gateway_authorizer."),
      authorization_scopes: ["inference/invoke"],
      api_key_required: true,
      request_validator_id: expect.stringContaining("aws_api_gateway_request_validator."),
      request_models: { "application/json": expect.stringContaining("aws_api_gateway_model.") },
    });
    expect(onlyResource(json, "aws_api_gateway_request_validator")).toMatchObject({
      validate_request_body: true,
      validate_request_parameters: true,
    });
    const schema = JSON.parse(String(onlyResource(json, "aws_api_gateway_model").schema));
    expect(schema).toMatchObject({ type: "object", required: ["inputs"], additionalProperties: false });
  });

  it("gives each consumer a client-credentials app client with only the invoke scope, in a user pool without users", () => {
    expect(onlyResource(json, "aws_cognito_user_pool")).toMatchObject({
      deletion_protection: "ACTIVE",
      admin_create_user_config: { allow_admin_create_user_only: true },
      mfa_configuration: "ON",
    });
    expect(onlyResource(json, "aws_cognito_resource_server")).toMatchObject({
      identifier: "inference",
      scope: [{ scope_name: "invoke", scope_description: expect.any(String) }],
    });
    expect(onlyResource(json, "aws_cognito_user_pool_client")).toMatchObject({
      name: "smd-test-inference-fraud-screening",
      generate_secret: true,
      allowed_oauth_flows: ["client_credentials"],
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_scopes: ["inference/invoke"],
      access_token_validity: 60,
      enable_token_revocation: true,
    });
    expect(onlyResource(json, "aws_cognito_user_pool_domain").domain).toBe("smd-test-inference-auth");
  });

  it("meters every consumer: a usage plan per tier (throttle and daily quota), a key per consumer in its tier's plan", () => {
    const plans = Object.values(resourcesOf(json, "aws_api_gateway_usage_plan"));
    expect(plans.map((p) => [p.name, p.throttle_settings, p.quota_settings]).sort()).toEqual([
      ["smd-test-inference-partner", { rate_limit: 20, burst_limit: 40 }, { limit: 50000, period: "DAY" }],
      ["smd-test-inference-standard", { rate_limit: 5, burst_limit: 10 }, { limit: 5000, period: "DAY" }],
    ]);
    const [planKey] = Object.values(resourcesOf(json, "aws_api_gateway_usage_plan_key"));
    expect(planKey.usage_plan_id).toMatch(/aws_api_gateway_usage_plan\.Api_Plan-standard_/);
    expect(onlyResource(json, "aws_api_gateway_api_key")).toMatchObject({
      name: "smd-test-inference-fraud-screening",
      enabled: true,
    });
  });

  it("logs every request as JSON to an encrypted group, traces, emits metrics, throttles and never logs bodies", () => {
    expect(stage).toMatchObject({
      stage_name: "v1",
      xray_tracing_enabled: true,
      cache_cluster_enabled: false,
      access_log_settings: {
        destination_arn: expect.stringContaining("aws_cloudwatch_log_group.Api_AccessLogs_"),
        format: ACCESS_LOG_FORMAT,
      },
    });
    for (const field of [
      "$context.requestId",
      "$context.identity.sourceIp",
      "$context.status",
      "$context.responseLatency",
    ]) {
      expect(ACCESS_LOG_FORMAT).toContain(field);
    }
    expect(onlyResource(json, "aws_api_gateway_method_settings")).toMatchObject({
      method_path: "*/*",
      settings: {
        metrics_enabled: true,
        logging_level: "ERROR",
        data_trace_enabled: false,
        throttling_rate_limit: 50,
        throttling_burst_limit: 100,
        caching_enabled: false,
        cache_data_encrypted: true,
      },
    });
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group")).map((g) => [
      g.name,
      g.retention_in_days,
    ]);
    expect(groups).toEqual(
      expect.arrayContaining([
        ["/aws/apigateway/smd-test-inference/v1/access", 365],
        [
          expect.stringMatching(/^API-Gateway-Execution-Logs_\$\{aws_api_gateway_rest_api\.Api_RestApi_\w+\.id\}\/v1$/),
          365,
        ],
      ]),
    );
  });

  it("replaces a deployment before destroying it, and redeploys when an integration changes", () => {
    const deployment = onlyResource(json, "aws_api_gateway_deployment");
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const other = onlyResource(
      build({ models: [{ name: "fraud-detection", port: 30080, upstreamPath: "/v2/predict" }] }).json,
      "aws_api_gateway_deployment",
    );
    expect((other.triggers as { redeployment: string }).redeployment).not.toBe(
      (deployment.triggers as { redeployment: string }).redeployment,
    );
  });

  it("with a custom domain, serves TLS 1.2 there and turns the execute-api endpoint off", () => {
    const { api, json: out } = build({
      customDomain: {
        domainName: "inference.example.com",
        certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/0123abcd-0123-4567-89ab-0123456789ab",
      },
    });
    expect(onlyResource(out, "aws_api_gateway_domain_name")).toMatchObject({
      security_policy: "TLS_1_2",
      endpoint_configuration: { types: ["REGIONAL"] },
    });
    expect(onlyResource(out, "aws_api_gateway_rest_api").disable_execute_api_endpoint).toBe(true);
    expect(api.invokeUrl).toBe("https://inference.example.com");
  });

  it("with a cache, encrypts it; without one, records why checkov's cache checks do not apply", () => {
    const { json: cached } = build({ cache: { sizeGb: "0.5", ttlSeconds: 60 } });
    expect(onlyResource(cached, "aws_api_gateway_stage")).toMatchObject({
      cache_cluster_enabled: true,
      cache_cluster_size: "0.5",
    });
    expect(onlyResource(cached, "aws_api_gateway_method_settings").settings).toMatchObject({
      caching_enabled: true,
      cache_data_encrypted: true,
      cache_ttl_in_seconds: 60,
    });
    const skipsOf = (props: Partial<InferenceApiProps>) =>
      guardedSynth((s) => {
        testApi(s, props);
      })
        .report.stacks[0].checkovSkips.filter((k) => k.resource.includes("Api_"))
        .map((k) => [k.resource.split(".")[0], k.checkId])
        .sort();
    expect(skipsOf({})).toEqual([
      ["aws_api_gateway_method_settings", "CKV_AWS_225"],
      ["aws_api_gateway_stage", "CKV2_AWS_51"],
      ["aws_api_gateway_stage", "CKV_AWS_120"],
    ]);
    expect(skipsOf({ cache: { sizeGb: "0.5", ttlSeconds: 60 } })).toEqual([["aws_api_gateway_stage", "CKV2_AWS_51"]]);
  });

  it("with IAM authorization, signs with SigV4 and grants invocation per model", () => {
    const stack = testStack();
    const api = testApi(stack, { authorization: "iam" });
    const role = new WorkloadRole(stack, "Caller", {
      roleName: "caller",
      cluster: { clusterName: "c", clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/c" },
      namespace: "ns",
      serviceAccount: "sa",
    });
    api.grantInvoke(role, "fraud-detection");
    const out = synthJson(stack);
    expect(onlyResource(out, "aws_api_gateway_method")).toMatchObject({
      authorization: "AWS_IAM",
      api_key_required: true,
    });
    expect(resourcesOf(out, "aws_cognito_user_pool")).toEqual({});
    expect(resourcesOf(out, "aws_api_gateway_authorizer")).toEqual({});
    const statements = statementsOf(onlyResource(out, "aws_iam_role_policy").policy);
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ["execute-api:Invoke"],
        Resource: [expect.stringMatching(/:execute-api:eu-west-1:.+\/v1\/POST\/v1\/models\/fraud-detection\/invoke$/)],
      }),
    ]);
    expect(() => api.grantInvoke(role, "churn")).toThrow(
      'modelName = "churn" is not allowed; allowed: one of fraud-detection',
    );
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      testApi(s);
    });
    expect(result.open.filter((f) => f.ruleId !== "SMD-API-1")).toEqual([]);
  });

  it.each<[string, Partial<InferenceApiProps>, string]>([
    [
      "a daily quota of zero",
      { tiers: { standard: { rateLimit: 5, burstLimit: 10, dailyQuota: 0 } } },
      "tiers.standard.dailyQuota = 0 is not allowed; allowed: a whole number of requests a day, 1 or more",
    ],
    [
      "a burst below the rate",
      { tiers: { standard: { rateLimit: 10, burstLimit: 5, dailyQuota: 10 } } },
      "tiers.standard.burstLimit = 5",
    ],
    ["no tier", { tiers: {} }, "tiers = {} is not allowed"],
    [
      "a consumer in no tier",
      { consumers: [{ name: "ops", tier: "gold" }] },
      'consumers[0].tier = "gold" is not allowed; allowed: one of standard, partner',
    ],
    ["no consumer", { consumers: [] }, "consumers = [] is not allowed"],
    [
      "the same consumer twice",
      {
        consumers: [
          { name: "ops", tier: "standard" },
          { name: "ops", tier: "partner" },
        ],
      },
      'consumers[1].name = "ops"',
    ],
    [
      "an unknown authorization",
      { authorization: "none" as "iam" },
      'authorization = "none" is not allowed; allowed: cognito or iam',
    ],
    ["execution logging off", { loggingLevel: "OFF" as "ERROR" }, 'loggingLevel = "OFF" is not allowed'],
    [
      "a cache size API Gateway does not offer",
      { cache: { sizeGb: "1" as "0.5", ttlSeconds: 60 } },
      'cache.sizeGb = "1" is not allowed',
    ],
    [
      "a timeout above API Gateway's",
      { integrationTimeoutMs: 60000 },
      "integrationTimeoutMs = 60000 is not allowed; allowed: a whole number from 50 to 29000",
    ],
    ["a stage throttle of zero", { throttle: { rateLimit: 0, burstLimit: 10 } }, "throttle.rateLimit = 0"],
    [
      "a domain that is no DNS name",
      {
        customDomain: { domainName: "Inference", certificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/ab" },
      },
      "customDomain.domainName",
    ],
    [
      "a certificate that is no ACM ARN",
      { customDomain: { domainName: "a.example.com", certificateArn: "cert" } },
      "customDomain.certificateArn",
    ],
    ["no model", { models: [] }, "models = [] is not allowed"],
  ])("rejects %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(ValidationError);
    expect(() => build(props)).toThrow(message);
  });

  it("builds nothing before it refuses", () => {
    const stack = testStack();
    const { key, bucket } = edgeLogs(stack);
    const lb = testLoadBalancer(stack, bucket);
    expect(() => new InferenceApi(stack, "Api", apiProps(lb, key, { consumers: [] }))).toThrow(ValidationError);
    expect(resourcesOf(synthJson(stack), "aws_api_gateway_rest_api")).toEqual({});
  });
});
