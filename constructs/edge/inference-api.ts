import { createHash } from "node:crypto";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayModel } from "@cdktf/provider-aws/lib/api-gateway-model";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayVpcLink } from "@cdktf/provider-aws/lib/api-gateway-vpc-link";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { checkKubernetesName } from "../core/kubernetes-names";
import type { Grantable } from "../core/principal";
import { checkIntegerInRange, checkLowercaseName, checkPattern, ValidationError } from "../core/validation";
import type { KmsKey } from "../keys/kms-key";
import { EncryptedLogGroup } from "../logging/encrypted-log-group";
import { createConsumerClient, createConsumerKey } from "./inference-api-consumer";

/** How callers authenticate: OAuth2 client credentials from a Cognito user pool, or IAM (SigV4). */
export type ApiAuthorization = "cognito" | "iam";
export const API_AUTHORIZATIONS: readonly ApiAuthorization[] = ["cognito", "iam"];

/** The OAuth2 scope a Cognito client needs to invoke a model: `<resource server>/<scope>`. */
export const INVOKE_SCOPE = { resourceServer: "inference", scope: "invoke" } as const;

/** API Gateway's largest request payload, in bytes (10 MB). */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway's longest integration timeout for a regional API without a quota increase, in milliseconds. */
export const API_GATEWAY_MAX_INTEGRATION_TIMEOUT_MS = 29000;

/** The cache sizes API Gateway offers, in GB. */
export const API_CACHE_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;

/** A usage plan: how fast and how much one consumer of the tier may call, the control against model extraction. */
export interface UsageTier {
  /** Steady-state requests per second, per API key: 1 to 10000. */
  readonly rateLimit: number;
  /** Burst, in requests, per API key: `rateLimit` to 5000. */
  readonly burstLimit: number;
  /** Requests per API key per day (UTC): 1 or more. */
  readonly dailyQuota: number;
}

/** One caller of the API. */
export interface ApiConsumer {
  /** Its name: lowercase letters, digits and hyphens; names its API key (and Cognito app client). */
  readonly name: string;
  /** Its tier, one of the API's `tiers`. */
  readonly tier: string;
}

/** One model behind the API. */
export interface ApiModel {
  /** The model's name: the path `POST /v1/models/<name>/invoke`. */
  readonly name: string;
  /** The load balancer's listener port for the model (its NodePort). */
  readonly port: number;
  /** The model server's path the call is proxied to. Default: `/invoke`. */
  readonly upstreamPath?: string;
}

/** The stage's response cache: encrypted, keyed per method; off unless given. */
export interface ApiCache {
  /** Cache size in GB, one of {@link API_CACHE_SIZES}. */
  readonly sizeGb: (typeof API_CACHE_SIZES)[number];
  /** How long a response is kept, in seconds: 0 to 3600. */
  readonly ttlSeconds: number;
}

/** A custom domain: the API is then reached only there (the execute-api endpoint is turned off). */
export interface ApiCustomDomain {
  /** The domain name, e.g. `inference.example.com`. */
  readonly domainName: string;
  /** An ACM certificate in the API's region covering it. */
  readonly certificateArn: string;
}

/** Properties of an {@link InferenceApi}. */
export interface InferenceApiProps {
  /** The API's name: lowercase letters, digits and hyphens, 2 to 40 characters. */
  readonly name: string;
  /** The internal load balancer the VPC link reaches. */
  readonly loadBalancer: { readonly arn: string; readonly dnsName: string };
  /** The models, each on its own listener. */
  readonly models: readonly ApiModel[];
  /** `cognito` (OAuth2 client credentials with the `inference/invoke` scope) or `iam` (SigV4). */
  readonly authorization: ApiAuthorization;
  /** Usage plans by tier name. */
  readonly tiers: Readonly<Record<string, UsageTier>>;
  /** The callers: each gets an API key in its tier's usage plan (and, with `cognito`, an app client). */
  readonly consumers: readonly ApiConsumer[];
  /** Stage-wide throttling, across all callers: requests per second and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Execution logging: `ERROR` or `INFO` (never full request and response bodies). Default: `ERROR`. */
  readonly loggingLevel?: "ERROR" | "INFO";
  /** The key of the access and execution log groups. */
  readonly logsKey: KmsKey;
  /** Days the access and execution logs are kept: one of CloudWatch Logs' periods. Default: 365. */
  readonly logRetentionInDays?: number;
  /** The stage's name. Default: `v1`. */
  readonly stageName?: string;
  /** The response cache. Default: none (inference results are per caller and per input). */
  readonly cache?: ApiCache;
  /** A custom domain with a TLS 1.2 policy; the default endpoint is then disabled. Default: none. */
  readonly customDomain?: ApiCustomDomain;
  /** JSON Schema (draft 4) the request body must match. Default: `{ inputs: [1..64 items], parameters?: {} }`, nothing else. */
  readonly requestSchema?: Readonly<Record<string, unknown>>;
  /** How long API Gateway waits for the model, in milliseconds: 50 to 29000. Default: 29000. */
  readonly integrationTimeoutMs?: number;
  /** The Cognito hosted domain prefix (unique in the region) of the token endpoint, with `cognito`. Default: `<name>-auth`. */
  readonly cognitoDomainPrefix?: string;
}

/** The request body every model accepts unless told otherwise. */
export const DEFAULT_REQUEST_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: "http://json-schema.org/draft-04/schema#",
  title: "InferenceRequest",
  type: "object",
  required: ["inputs"],
  properties: {
    inputs: { type: "array", minItems: 1, maxItems: 64 },
    parameters: { type: "object" },
  },
  additionalProperties: false,
};

/** What the access log records of every request, as JSON. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  caller: "$context.identity.caller",
  apiKeyId: "$context.identity.apiKeyId",
  clientId: "$context.authorizer.claims.client_id",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latency: "$context.responseLatency",
  integrationLatency: "$context.integration.latency",
  integrationStatus: "$context.integration.status",
  wafStatus: "$context.waf.status",
  error: "$context.error.message",
});

/**
 * The inference API: a regional REST API that reaches the internal load balancer through a VPC link, with
 * `POST /v1/models/<name>/invoke` per model, each an HTTP proxy to that model's listener. Every method:
 * - authenticates its caller: a Cognito user pool authorizer requiring the `inference/invoke` scope (OAuth2 client
 *   credentials; one app client per consumer) or IAM (SigV4; `grantInvoke`);
 * - requires an API key, which puts each consumer in its tier's usage plan: throttling (rate, burst) and a daily
 *   quota per key, the control against model extraction;
 * - validates the body against a JSON schema before anything reaches a GPU.
 * The stage writes JSON access logs (request, caller, key, status, latency) and execution logs (ERROR or INFO, never
 * bodies) to log groups under the logs key, traces with X-Ray, emits metrics and throttles stage-wide; a cache, when
 * asked for, is encrypted. A custom domain gets a TLS 1.2 policy and then the default endpoint is disabled.
 * Deployments are replaced before they are destroyed, and redeployed when a method or integration changes.
 */
export class InferenceApi extends Construct {
  /** The `aws_api_gateway_rest_api`. */
  public readonly restApi: ApiGatewayRestApi;
  /** The `aws_api_gateway_stage`. */
  public readonly stage: ApiGatewayStage;
  /** The `aws_api_gateway_vpc_link`. */
  public readonly vpcLink: ApiGatewayVpcLink;
  /** The Cognito user pool, with `cognito` authorization. */
  public readonly userPool?: CognitoUserPool;
  /** The Cognito token endpoint's domain, with `cognito` authorization. */
  public readonly tokenDomain?: CognitoUserPoolDomain;
  /** The access log group. */
  public readonly accessLogs: EncryptedLogGroup;
  /** The stage's name. */
  public readonly stageName: string;
  /** The custom domain, when one is given. */
  public readonly domainName?: string;
  /** The usage plans' IDs, by tier: what an {@link InferenceApiConsumer} in another stack joins. */
  public readonly usagePlanIds: Readonly<Record<string, string>>;
  private readonly invokeArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    if (!API_AUTHORIZATIONS.includes(props.authorization)) {
      throw new ValidationError(
        where,
        "authorization",
        props.authorization,
        `allowed: ${API_AUTHORIZATIONS.join(" or ")}`,
      );
    }
    checkModels(where, props.models);
    checkTiers(where, props.tiers, props.consumers);
    checkIntegerInRange(where, "throttle.rateLimit", props.throttle?.rateLimit, 1, 10000);
    checkIntegerInRange(where, "throttle.burstLimit", props.throttle.burstLimit, 1, 5000);
    const loggingLevel = props.loggingLevel ?? "ERROR";
    if (loggingLevel !== "ERROR" && loggingLevel !== "INFO") {
      throw new ValidationError(
        where,
        "loggingLevel",
        loggingLevel,
        "allowed: ERROR or INFO (OFF loses the execution log)",
      );
    }
    const stageName = props.stageName ?? "v1";
    checkPattern(where, "stageName", stageName, /^[a-zA-Z0-9_-]{1,128}$/, "letters, digits, - and _");
    if (props.cache) {
      if (!API_CACHE_SIZES.includes(props.cache.sizeGb)) {
        throw new ValidationError(
          where,
          "cache.sizeGb",
          props.cache.sizeGb,
          `allowed: one of ${API_CACHE_SIZES.join(", ")}`,
        );
      }
      checkIntegerInRange(where, "cache.ttlSeconds", props.cache.ttlSeconds, 0, 3600);
    }
    const timeout = props.integrationTimeoutMs ?? API_GATEWAY_MAX_INTEGRATION_TIMEOUT_MS;
    checkIntegerInRange(where, "integrationTimeoutMs", timeout, 50, API_GATEWAY_MAX_INTEGRATION_TIMEOUT_MS);
    if (props.customDomain) {
      checkPattern(
        where,
        "customDomain.domainName",
        props.customDomain.domainName,
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "a lowercase DNS name such as inference.example.com",
      );
      checkPattern(
        where,
        "customDomain.certificateArn",
        props.customDomain.certificateArn,
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
        "an ACM certificate ARN",
      );
    }
    const cognitoDomain = props.cognitoDomainPrefix ?? `${props.name}-auth`;
    if (props.authorization === "cognito") checkLowercaseName(where, "cognitoDomainPrefix", cognitoDomain, 63);
    const context = AwsContext.of(this);
    this.stageName = stageName;
    this.domainName = props.customDomain?.domainName;

    this.restApi = new ApiGatewayRestApi(this, "RestApi", {
      name: props.name,
      description: `Inference API: POST /v1/models/<name>/invoke for ${props.models.map((m) => m.name).join(", ")}`,
      endpointConfiguration: { types: ["REGIONAL"] },
      apiKeySource: "HEADER",
      disableExecuteApiEndpoint: props.customDomain !== undefined,
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    const api = this.restApi.id;
    this.vpcLink = new ApiGatewayVpcLink(this, "VpcLink", {
      name: props.name,
      description: `From the API ${props.name} to its internal load balancer`,
      targetArns: [props.loadBalancer.arn],
      tags: { Name: props.name },
    });
    const validator = new ApiGatewayRequestValidator(this, "Validator", {
      restApiId: api,
      name: "body-and-parameters",
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const requestModel = new ApiGatewayModel(this, "RequestModel", {
      restApiId: api,
      name: "InferenceRequest",
      description: "The body every invocation must match",
      contentType: "application/json",
      schema: JSON.stringify(props.requestSchema ?? DEFAULT_REQUEST_SCHEMA),
    });

    let authorizerId: string | undefined;
    if (props.authorization === "cognito") {
      const pool = this.makeUserPool(props.name, cognitoDomain, props.consumers);
      this.userPool = pool.userPool;
      this.tokenDomain = pool.domain;
      authorizerId = new ApiGatewayAuthorizer(this, "Authorizer", {
        restApiId: api,
        name: `${props.name}-cognito`,
        type: "COGNITO_USER_POOLS",
        providerArns: [pool.userPool.arn],
        identitySource: "method.request.header.Authorization",
      }).id;
    }

    const resource = (resourceId: string, parentId: string, pathPart: string) =>
      new ApiGatewayResource(this, resourceId, { restApiId: api, parentId, pathPart });
    const v1 = resource("V1", this.restApi.rootResourceId, "v1");
    const models = resource("Models", v1.id, "models");
    const invokeArns: Record<string, string> = {};
    const redeployOn: unknown[] = [props.requestSchema ?? DEFAULT_REQUEST_SCHEMA, props.authorization];
    const dependencies = [];
    for (const model of props.models) {
      const modelResource = resource(`Model-${model.name}`, models.id, model.name);
      const invoke = resource(`Invoke-${model.name}`, modelResource.id, "invoke");
      const method = new ApiGatewayMethod(this, `Post-${model.name}`, {
        restApiId: api,
        resourceId: invoke.id,
        httpMethod: "POST",
        authorization: props.authorization === "cognito" ? "COGNITO_USER_POOLS" : "AWS_IAM",
        authorizerId,
        authorizationScopes:
          props.authorization === "cognito" ? [`${INVOKE_SCOPE.resourceServer}/${INVOKE_SCOPE.scope}`] : undefined,
        apiKeyRequired: true,
        requestValidatorId: validator.id,
        requestModels: { "application/json": requestModel.name },
      });
      const upstreamPath = model.upstreamPath ?? "/invoke";
      const integration = new ApiGatewayIntegration(this, `Integration-${model.name}`, {
        restApiId: api,
        resourceId: invoke.id,
        httpMethod: method.httpMethod,
        type: "HTTP_PROXY",
        integrationHttpMethod: "POST",
        uri: `http://${props.loadBalancer.dnsName}:${model.port}${upstreamPath}`,
        connectionType: "VPC_LINK",
        connectionId: this.vpcLink.id,
        timeoutMilliseconds: timeout,
      });
      dependencies.push(method, integration);
      redeployOn.push(model);
      invokeArns[model.name] =
        `arn:${context.partition}:execute-api:${context.region}:${context.accountId}:${api}/${stageName}/POST/v1/models/${model.name}/invoke`;
    }
    this.invokeArns = invokeArns;

    const deployment = new ApiGatewayDeployment(this, "Deployment", {
      restApiId: api,
      description: "Replaced whenever a method, an integration or the request schema changes",
      triggers: { redeployment: createHash("sha256").update(JSON.stringify(redeployOn)).digest("hex") },
      dependsOn: dependencies,
      lifecycle: { createBeforeDestroy: true },
    });

    const retention = props.logRetentionInDays ?? 365;
    this.accessLogs = new EncryptedLogGroup(this, "AccessLogs", {
      name: `/aws/apigateway/${props.name}/${stageName}/access`,
      encryptionKey: props.logsKey,
      retentionInDays: retention,
    });
    // API Gateway writes execution logs to a group of this name; made here, it is encrypted and expires.
    const executionLogs = new EncryptedLogGroup(this, "ExecutionLogs", {
      name: `API-Gateway-Execution-Logs_${api}/${stageName}`,
      encryptionKey: props.logsKey,
      retentionInDays: retention,
    });
    this.stage = new ApiGatewayStage(this, "Stage", {
      restApiId: api,
      deploymentId: deployment.id,
      stageName,
      description: `The ${props.name} API's ${stageName} stage`,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogs.resource.arn, format: ACCESS_LOG_FORMAT },
      cacheClusterEnabled: props.cache !== undefined,
      cacheClusterSize: props.cache?.sizeGb,
      dependsOn: [executionLogs.resource],
      tags: { Name: `${props.name}-${stageName}` },
    });
    Guardrails.suppress(
      this.stage,
      "CKV2_AWS_51",
      "The integration is HTTP through the VPC link to an internal TCP load balancer: nothing on that path terminates TLS to check a client certificate; the backend is reachable only from the VPC link (the load balancer admits the VPC, the nodes admit the NodePort from the load balancer only)",
    );
    const settings = new ApiGatewayMethodSettings(this, "MethodSettings", {
      restApiId: api,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        loggingLevel,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        cachingEnabled: props.cache !== undefined,
        cacheDataEncrypted: true,
        cacheTtlInSeconds: props.cache?.ttlSeconds,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403",
      },
    });
    if (!props.cache) {
      const reason =
        "Inference answers are computed per caller and per input: a response cache could hand one consumer's result to another, and API Gateway does not cache POST; the cache is an explicit, encrypted opt-in (cache)";
      Guardrails.suppress(this.stage, "CKV_AWS_120", reason);
      Guardrails.suppress(settings, "CKV_AWS_225", reason);
    }

    const plans: Record<string, ApiGatewayUsagePlan> = {};
    for (const [tier, limits] of Object.entries(props.tiers)) {
      plans[tier] = new ApiGatewayUsagePlan(this, `Plan-${tier}`, {
        name: `${props.name}-${tier}`,
        description: `Consumers of the ${tier} tier: ${limits.rateLimit} requests/s (burst ${limits.burstLimit}), ${limits.dailyQuota} a day, per key`,
        apiStages: [{ apiId: api, stage: this.stage.stageName }],
        throttleSettings: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit },
        quotaSettings: { limit: limits.dailyQuota, period: "DAY" },
        tags: { Name: `${props.name}-${tier}` },
      });
    }
    this.usagePlanIds = Object.fromEntries(Object.entries(plans).map(([tier, plan]) => [tier, plan.id]));
    for (const consumer of props.consumers) createConsumerKey(this, props.name, consumer, plans[consumer.tier].id);

    if (props.customDomain) {
      const domain = new ApiGatewayDomainName(this, "Domain", {
        domainName: props.customDomain.domainName,
        regionalCertificateArn: props.customDomain.certificateArn,
        endpointConfiguration: { types: ["REGIONAL"] },
        securityPolicy: "TLS_1_2",
        tags: { Name: props.customDomain.domainName },
      });
      new ApiGatewayBasePathMapping(this, "BasePath", {
        apiId: api,
        stageName: this.stage.stageName,
        domainName: domain.domainName,
      });
    }
  }

  /** The URL callers invoke: `https://<custom domain>` or the stage's execute-api URL. */
  public get invokeUrl(): string {
    return this.domainName ? `https://${this.domainName}` : this.stage.invokeUrl;
  }

  /** The REST API's ID. */
  public get apiId(): string {
    return this.restApi.id;
  }

  /** The stage's ARN, which the web ACL is associated with. */
  public get stageArn(): string {
    return this.stage.arn;
  }

  /**
   * Lets a principal invoke one model (`execute-api:Invoke` on its method of this stage), with `iam` authorization;
   * it still needs its API key.
   */
  public grantInvoke(grantee: Grantable, modelName: string): void {
    const arn = this.invokeArns[modelName];
    if (arn === undefined) {
      throw new ValidationError(
        this.node.path,
        "modelName",
        modelName,
        `allowed: one of ${Object.keys(this.invokeArns).join(", ")}`,
      );
    }
    grantee.addToPrincipalPolicy({
      sid: `InvokeModel${modelName.replaceAll("-", "")}`,
      actions: ["execute-api:Invoke"],
      resources: [arn],
    });
  }

  /** The user pool (no users: only app clients), its `inference/invoke` scope, its token domain and one client per consumer. */
  private makeUserPool(name: string, domainPrefix: string, consumers: readonly ApiConsumer[]) {
    const userPool = new CognitoUserPool(this, "UserPool", {
      name,
      deletionProtection: "ACTIVE",
      // Machine clients only: nobody signs up, and an administrator could create a user only deliberately.
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      mfaConfiguration: "ON",
      softwareTokenMfaConfiguration: { enabled: true },
      passwordPolicy: {
        minimumLength: 16,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 1,
      },
      tags: { Name: name },
    });
    const server = new CognitoResourceServer(this, "ResourceServer", {
      userPoolId: userPool.id,
      identifier: INVOKE_SCOPE.resourceServer,
      name: `${name} inference`,
      scope: [{ scopeName: INVOKE_SCOPE.scope, scopeDescription: "Invoke the inference models" }],
    });
    const domain = new CognitoUserPoolDomain(this, "TokenDomain", { domain: domainPrefix, userPoolId: userPool.id });
    for (const consumer of consumers) createConsumerClient(this, name, consumer.name, userPool.id, [server]);
    return { userPool, domain };
  }
}

function checkModels(where: string, models: readonly ApiModel[]): void {
  if (!Array.isArray(models) || models.length === 0) {
    throw new ValidationError(where, "models", models, "allowed: at least one model");
  }
  const names = new Set<string>();
  models.forEach((model, i) => {
    checkKubernetesName(where, `models[${i}].name`, model.name);
    if (names.has(model.name))
      throw new ValidationError(where, `models[${i}].name`, model.name, "allowed: each model once");
    names.add(model.name);
    checkIntegerInRange(where, `models[${i}].port`, model.port, 1, 65535);
    if (model.upstreamPath !== undefined && !/^\/[\w./:-]*$/.test(model.upstreamPath)) {
      throw new ValidationError(
        where,
        `models[${i}].upstreamPath`,
        model.upstreamPath,
        "allowed: an absolute URL path",
      );
    }
  });
}

/** Checks usage tiers and consumers: every tier sane, every consumer in a tier, each consumer once. */
export function checkTiers(
  where: string,
  tiers: Readonly<Record<string, UsageTier>>,
  consumers: readonly ApiConsumer[],
  prefix = "",
): void {
  const names = Object.keys(tiers ?? {});
  if (names.length === 0) throw new ValidationError(where, `${prefix}tiers`, tiers, "allowed: at least one usage tier");
  for (const [name, tier] of Object.entries(tiers)) {
    const at = `${prefix}tiers.${name}`;
    checkLowercaseName(where, `${prefix}tiers`, name, 20);
    checkIntegerInRange(where, `${at}.rateLimit`, tier.rateLimit, 1, 10000);
    checkIntegerInRange(where, `${at}.burstLimit`, tier.burstLimit, tier.rateLimit, 5000);
    if (!Number.isInteger(tier.dailyQuota) || tier.dailyQuota < 1) {
      throw new ValidationError(
        where,
        `${at}.dailyQuota`,
        tier.dailyQuota,
        "allowed: a whole number of requests a day, 1 or more (a quota of zero would lock the tier out; remove its consumers instead)",
      );
    }
  }
  if (!Array.isArray(consumers) || consumers.length === 0) {
    throw new ValidationError(
      where,
      `${prefix}consumers`,
      consumers,
      "allowed: at least one consumer (nobody could call the API)",
    );
  }
  const seen = new Set<string>();
  consumers.forEach((consumer, i) => {
    checkLowercaseName(where, `${prefix}consumers[${i}].name`, consumer.name, 40);
    if (seen.has(consumer.name)) {
      throw new ValidationError(where, `${prefix}consumers[${i}].name`, consumer.name, "allowed: each consumer once");
    }
    seen.add(consumer.name);
    if (!names.includes(consumer.tier)) {
      throw new ValidationError(
        where,
        `${prefix}consumers[${i}].tier`,
        consumer.tier,
        `allowed: one of ${names.join(", ")}`,
      );
    }
  });
}
