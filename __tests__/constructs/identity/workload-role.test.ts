import { ValidationError } from "../../../constructs/core/validation";
import { WorkloadRole, type WorkloadRoleProps } from "../../../constructs/identity/workload-role";
import { ModelStore } from "../../../constructs/storage/model-store";
import { STORE_PROPS } from "../../support/model-store";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

const CLUSTER = { clusterName: "test", clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/test" };

function build(props: Partial<WorkloadRoleProps> = {}) {
  const stack = testStack();
  const role = new WorkloadRole(stack, "Fraud", {
    roleName: "test-model-fraud",
    cluster: CLUSTER,
    namespace: "ai-inference",
    serviceAccount: "fraud",
    ...props,
  });
  return { stack, role };
}

describe("WorkloadRole", () => {
  it("is assumable by EKS Pod Identity only, for this account, cluster, namespace and service account", () => {
    const { stack } = build();
    const json = synthJson(stack);
    expect(statementsOf(onlyResource(json, "aws_iam_role").assume_role_policy)).toEqual([
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: ["pods.eks.amazonaws.com"] },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/),
            "aws:RequestTag/eks-cluster-arn": CLUSTER.clusterArn,
            "aws:RequestTag/kubernetes-namespace": "ai-inference",
            "aws:RequestTag/kubernetes-service-account": "fraud",
          },
        },
      },
    ]);
    expect(onlyResource(json, "aws_iam_role")).toMatchObject({ name: "test-model-fraud", max_session_duration: 3600 });
    expect(onlyResource(json, "aws_eks_pod_identity_association")).toMatchObject({
      cluster_name: "test",
      namespace: "ai-inference",
      service_account: "fraud",
      role_arn: expect.stringMatching(/aws_iam_role\.Fraud_Role_\w+\.arn/),
      disable_session_tags: false,
    });
  });

  it("holds nothing until granted, then exactly the grants, in one inline policy", () => {
    const { stack, role } = build();
    expect(resourcesOf(synthJson(stack), "aws_iam_role_policy")).toEqual({});
    expect(resourcesOf(synthJson(stack), "aws_iam_role_policy_attachment")).toEqual({});
    const store = new ModelStore(stack, "Models", STORE_PROPS);
    store.grantRead(role, "models/fraud/");
    const policy = onlyResource(synthJson(stack), "aws_iam_role_policy");
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: expect.stringMatching(/^ReadObjects\d+$/),
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: ["arn:aws:s3:::smd-test-models/models/fraud/*"],
      },
      {
        Sid: expect.stringMatching(/^ReadList\d+$/),
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::smd-test-models"],
        Condition: { StringLike: { "s3:prefix": "models/fraud/*" } },
      },
    ]);
    // The store's key policy names the role, so it is written after the role exists.
    const keys = Object.values(resourcesOf(synthJson(stack), "aws_kms_key")).map((k) => String(k.policy));
    expect(keys.some((k) => k.includes("aws_iam_role.Fraud_Role_"))).toBe(true);
  });

  it("attaches AWS managed policies only when named (a cluster component's)", () => {
    const { stack } = build({ managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] });
    expect(onlyResource(synthJson(stack), "aws_iam_role_policy_attachment").policy_arn).toBe(
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    );
  });

  it("refuses a statement the policy document refuses, where it is added", () => {
    const { role } = build();
    expect(() => role.addToPrincipalPolicy({ sid: "Everything", actions: ["s3:*"], resources: ["*"] })).toThrow(
      ValidationError,
    );
  });

  it.each([
    ["a namespace with capitals", { namespace: "AI" }, /namespace = "AI"/],
    ["an empty service account", { serviceAccount: "" }, /serviceAccount = ""/],
    [
      "a cluster ARN that is not one",
      { cluster: { ...CLUSTER, clusterArn: "arn:aws:iam::111122223333:role/x" } },
      /cluster\.clusterArn/,
    ],
    [
      "a customer managed policy",
      { managedPolicyArns: ["arn:aws:iam::111122223333:policy/admin"] },
      /managedPolicyArns/,
    ],
    ["a session longer than 12 hours", { maxSessionDurationSeconds: 86400 }, /maxSessionDurationSeconds = 86400/],
    ["a role name too long", { roleName: "x".repeat(65) }, /roleName/],
  ])("refuses %s with an error naming the property", (_what, props, message) => {
    expect(() => build(props)).toThrow(ValidationError);
    expect(() => build(props)).toThrow(message);
  });
});
