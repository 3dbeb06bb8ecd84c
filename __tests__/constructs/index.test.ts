import * as library from "../../constructs";

describe("the construct library's public face", () => {
  it("exports the constructs and helpers app teams use", () => {
    expect(Object.keys(library).sort()).toEqual(
      [
        "AwsContext",
        "BLUEPRINT_SERVICES",
        "DeploymentBoundary",
        "GITHUB_OIDC_AUDIENCE",
        "GITHUB_OIDC_ISSUER",
        "GithubActionsRole",
        "KMS_VIEW_ACTIONS",
        "PermissionsBoundary",
        "SecureBucket",
        "suppressWildcardActions",
        "DEFAULT_INTERFACE_ENDPOINTS",
        "EGRESS_MODES",
        "EncryptedLogGroup",
        "GUARDDUTY_DATA_ENDPOINT",
        "KMS_ADMIN_ACTIONS",
        "KmsKey",
        "LOG_RETENTION_DAYS",
        "SecureVpc",
        "VpcEndpoints",
        "VpcFlowLog",
        "planSubnets",
        "PolicyDocument",
        "ValidationError",
        "partitionOf",
        "principalArn",
      ].sort(),
    );
  });
});
