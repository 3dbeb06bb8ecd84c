import { InferenceApiConsumer } from "../../../constructs/edge/inference-api-consumer";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

describe("InferenceApiConsumer", () => {
  it("puts an API key in the tier's usage plan and, with Cognito, makes a client-credentials app client in the API's pool", () => {
    const stack = testStack();
    new InferenceApiConsumer(stack, "Churn", {
      name: "churn-scoring",
      apiName: "smd-dev-inference",
      authorization: "cognito",
      tier: "standard",
      usagePlanId: "a1b2c3d4",
    });
    const json = synthJson(stack);
    expect(onlyResource(json, "aws_api_gateway_api_key")).toEqual(
      expect.objectContaining({
        name: "smd-dev-inference-churn-scoring",
        enabled: true,
        tags: { Name: "smd-dev-inference-churn-scoring", Tier: "standard" },
      }),
    );
    expect(onlyResource(json, "aws_api_gateway_usage_plan_key")).toEqual(
      expect.objectContaining({ key_type: "API_KEY", usage_plan_id: "a1b2c3d4" }),
    );
    expect(Object.values(json.data?.aws_cognito_user_pools ?? {})).toEqual([{ name: "smd-dev-inference" }]);
    expect(onlyResource(json, "aws_cognito_user_pool_client")).toEqual(
      expect.objectContaining({
        name: "smd-dev-inference-churn-scoring",
        generate_secret: true,
        allowed_oauth_flows: ["client_credentials"],
        allowed_oauth_scopes: ["inference/invoke"],
        access_token_validity: 60,
        enable_token_revocation: true,
        user_pool_id: expect.stringMatching(/^\$\{element\(data\.aws_cognito_user_pools\.\w+\.ids, 0\)\}$/),
      }),
    );
  });

  it("makes no app client when the API authenticates with IAM", () => {
    const stack = testStack();
    new InferenceApiConsumer(stack, "Batch", {
      name: "batch",
      apiName: "smd-dev-inference",
      authorization: "iam",
      tier: "partner",
      usagePlanId: "z9y8x7",
    });
    const json = synthJson(stack);
    expect(resourcesOf(json, "aws_cognito_user_pool_client")).toEqual({});
    expect(json.data).toBeUndefined();
  });

  it.each([
    ["name", { name: "Bad Name" }, /C: name = "Bad Name" is not allowed/],
    ["apiName", { apiName: "x" }, /C: apiName = "x" is not allowed/],
    [
      "usagePlanId",
      { usagePlanId: "plan/1" },
      /C: usagePlanId = "plan\/1" is not allowed; allowed: an API Gateway usage plan ID/,
    ],
    ["authorization", { authorization: "none" }, /C: authorization = "none" is not allowed; allowed: cognito or iam/],
  ])("refuses a bad %s", (_field, change, message) => {
    const props = {
      name: "ok",
      apiName: "smd-dev-inference",
      authorization: "iam" as const,
      tier: "standard",
      usagePlanId: "a1b2c3",
      ...change,
    };
    expect(() => new InferenceApiConsumer(testStack(), "C", props as never)).toThrow(message);
  });
});
