import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { DataAwsCognitoUserPools } from "@cdktf/provider-aws/lib/data-aws-cognito-user-pools";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { checkLowercaseName, checkPattern, ValidationError } from "../core/validation";
import { API_AUTHORIZATIONS, type ApiAuthorization, INVOKE_SCOPE } from "./inference-api";

/** Properties of an {@link InferenceApiConsumer}. */
export interface InferenceApiConsumerProps {
  /** The consumer's name: lowercase letters, digits and hyphens, 2 to 40 characters; names its API key and app client. */
  readonly name: string;
  /** The API's name (`InferenceApi`'s `name`): the key is `<apiName>-<name>`; with `cognito`, the user pool of this name is looked up. */
  readonly apiName: string;
  /** The API's authorization: with `cognito` the consumer also gets an OAuth2 client-credentials app client. */
  readonly authorization: ApiAuthorization;
  /** The tier the consumer is in, for the key's description and tags. */
  readonly tier: string;
  /** The ID of that tier's usage plan (the platform stack's output `usage_plan_ids`): its rate, burst and daily quota apply per key. */
  readonly usagePlanId: string;
}

/**
 * Makes one consumer's API key and puts it in a usage plan. Shared by {@link InferenceApi} (its configured consumers)
 * and {@link InferenceApiConsumer} (a consumer an app team adds in its own stack).
 */
export function createConsumerKey(
  scope: Construct,
  apiName: string,
  consumer: { readonly name: string; readonly tier: string },
  usagePlanId: string,
): ApiGatewayApiKey {
  const key = new ApiGatewayApiKey(scope, `Key-${consumer.name}`, {
    name: `${apiName}-${consumer.name}`,
    description: `API key of ${consumer.name} (${consumer.tier} tier)`,
    enabled: true,
    tags: { Name: `${apiName}-${consumer.name}`, Tier: consumer.tier },
  });
  new ApiGatewayUsagePlanKey(scope, `PlanKey-${consumer.name}`, { keyId: key.id, keyType: "API_KEY", usagePlanId });
  return key;
}

/**
 * Makes one consumer's Cognito app client: client credentials only, the `inference/invoke` scope, one-hour tokens,
 * revocation on. Shared by {@link InferenceApi} and {@link InferenceApiConsumer}.
 */
export function createConsumerClient(
  scope: Construct,
  apiName: string,
  consumerName: string,
  userPoolId: string,
  dependsOn: ITerraformDependable[] = [],
): CognitoUserPoolClient {
  return new CognitoUserPoolClient(scope, `Client-${consumerName}`, {
    name: `${apiName}-${consumerName}`,
    userPoolId,
    generateSecret: true,
    allowedOauthFlows: ["client_credentials"],
    allowedOauthFlowsUserPoolClient: true,
    allowedOauthScopes: [`${INVOKE_SCOPE.resourceServer}/${INVOKE_SCOPE.scope}`],
    supportedIdentityProviders: ["COGNITO"],
    accessTokenValidity: 60,
    tokenValidityUnits: [{ accessToken: "minutes" }],
    enableTokenRevocation: true,
    preventUserExistenceErrors: "ENABLED",
    dependsOn,
  });
}

/**
 * A caller of an inference API that another stack made (the platform's), added by the team that owns the caller: an
 * API key in the tier's usage plan (rate, burst and daily quota per key: the control against model extraction) and,
 * when the API authenticates with Cognito, an app client for OAuth2 client credentials with the `inference/invoke`
 * scope in the API's user pool (found by the API's name). The key's value and the client's secret live in this
 * stack's Terraform state, as they do in the platform's: keep the state encrypted and read by the pipeline only.
 */
export class InferenceApiConsumer extends Construct {
  /** The `aws_api_gateway_api_key`. */
  public readonly apiKey: ApiGatewayApiKey;
  /** The Cognito app client, with `cognito` authorization. */
  public readonly client?: CognitoUserPoolClient;

  constructor(scope: Construct, id: string, props: InferenceApiConsumerProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    checkLowercaseName(where, "apiName", props.apiName, 40);
    checkLowercaseName(where, "tier", props.tier, 20);
    checkPattern(
      where,
      "usagePlanId",
      props.usagePlanId,
      /^[a-z0-9]{6,12}$/,
      "an API Gateway usage plan ID such as a1b2c3",
    );
    if (!API_AUTHORIZATIONS.includes(props.authorization)) {
      throw new ValidationError(
        where,
        "authorization",
        props.authorization,
        `allowed: ${API_AUTHORIZATIONS.join(" or ")}, the API's own`,
      );
    }
    this.apiKey = createConsumerKey(this, props.apiName, props, props.usagePlanId);
    if (props.authorization === "cognito") {
      const pools = new DataAwsCognitoUserPools(this, "UserPool", { name: props.apiName });
      this.client = createConsumerClient(this, props.apiName, props.name, Fn.element(pools.ids, 0));
    }
  }

  /** The API key's ID (its value stays in state: hand it over from there, never through an output). */
  public get apiKeyId(): string {
    return this.apiKey.id;
  }
}
