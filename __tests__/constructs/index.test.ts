import * as library from "../../constructs";

describe("the construct library's public face", () => {
  it("exports the constructs and helpers app teams use", () => {
    expect(Object.keys(library).sort()).toEqual(
      [
        "AwsContext",
        "KMS_ADMIN_ACTIONS",
        "KmsKey",
        "PolicyDocument",
        "ValidationError",
        "partitionOf",
        "principalArn",
      ].sort(),
    );
  });
});
