import { decide, materializePolicy, type PolicyJson } from "../../policies/iam-simulation";
import { ciNames, loadEnvironment } from "../../stacks/config";
import { roleArnOf, synthBlueprint } from "../support/blueprint";

/**
 * The cluster's identities as the default environment deploys them, simulated over the synthesized trust, identity,
 * bucket, key and repository policies, each role under the deploy boundary it carries: a model's workload role reads
 * its own prefix and nothing else; the node role pulls images and cannot read a model; neither can become the other.
 */

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const ENDPOINT = "vpce-0123456789abcdef0";
const env = loadEnvironment("dev");
const model = env.models[0];
const stacks = synthBlueprint("dev");
const platform = stacks["platform-dev"];
const resources = (type: string) => Object.entries(platform.resource?.[type] ?? {});
const STORE = `arn:aws:s3:::${env.modelStore.bucketName}`;
const STORE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/store`;
const SIGNING_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/signing`;
const CLUSTER = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${env.namePrefix}`;
const OWN_MODEL = `${STORE}/${model.modelPrefix}v1/model.safetensors`;
const OTHER_MODEL = `${STORE}/${env.modelStore.publishPrefix}credit-scoring/v1/model.safetensors`;
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${env.namePrefix}/inference`;
const MODEL_ROLE = `${env.namePrefix}-model-${model.name}`;
const NODE_ROLE = `${env.namePrefix}-eks-node`;
const CNI_ROLE = `${env.namePrefix}-vpc-cni`;
const SESSION = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/eks-session`;

function valueFor(expression: string): string | undefined {
  if (expression.endsWith(".account_id")) return ACCOUNT;
  if (expression.endsWith(".issuer_arn")) return `arn:aws:iam::${ACCOUNT}:role/${ciNames(env).applyRole}`;
  if (/^aws_kms_key\.ModelStore_Key_\w+\.arn$/.test(expression)) return STORE_KEY;
  if (/^aws_kms_key\.ModelStore_SigningKey_\w+\.arn$/.test(expression)) return SIGNING_KEY;
  if (/^aws_kms_key\.\w+\.arn$/.test(expression)) return `arn:aws:kms:${REGION}:${ACCOUNT}:key/other`;
  if (/^aws_vpc_endpoint\.Network_Endpoints_S3_\w+\.id$/.test(expression)) return ENDPOINT;
  return roleArnOf(platform, ACCOUNT, expression);
}
const policy = (value: unknown) => materializePolicy(value, valueFor);

/** The logical ID of the role of this name. */
const roleId = (name: string) => resources("aws_iam_role").find(([, r]) => r.name === name)?.[0] ?? "";
/** The inline policy of a role, by the role's name. */
const inlinePolicy = (name: string) =>
  policy(resources("aws_iam_role_policy").find(([, p]) => String(p.role).includes(`.${roleId(name)}.`))?.[1].policy);
const trustOf = (name: string) => policy(platform.resource?.aws_iam_role?.[roleId(name)]?.assume_role_policy);

/** AWS's managed AmazonEKSWorkerNodeMinimalPolicy (v1), the node role's one attachment. */
const WORKER_NODE_MINIMAL: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["eks-auth:AssumeRoleForPodIdentity"], Resource: "*" }],
};
/** AWS's managed AmazonEKS_CNI_Policy (v5), the CNI role's one attachment. */
const CNI_POLICY: PolicyJson = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "ec2:AssignPrivateIpAddresses",
        "ec2:AttachNetworkInterface",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeInstances",
        "ec2:DescribeTags",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeSubnets",
        "ec2:DetachNetworkInterface",
        "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:UnassignPrivateIpAddresses",
      ],
      Resource: "*",
    },
    { Effect: "Allow", Action: ["ec2:CreateTags"], Resource: ["arn:aws:ec2:*:*:network-interface/*"] },
  ],
};
/** What an AWS-owned public registry's repository policy amounts to: anyone may pull. */
const OPEN_REPOSITORY: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }],
};

const boundary = materializePolicy(Object.values(stacks.bootstrap.resource?.aws_iam_policy ?? {})[0].policy, valueFor);
const bucketPolicy = policy(
  resources("aws_s3_bucket_policy").find(([, p]) => String(p.policy).includes("DenyReadsOutsideVpcEndpoint"))?.[1]
    .policy,
);
const storeKeyPolicy = policy(
  resources("aws_kms_key").find(([, k]) => String(k.description).includes(env.modelStore.bucketName))?.[1].policy ??
    resources("aws_kms_key").find(([id]) => id.startsWith("ModelStore_Key_"))?.[1].policy,
);
const signingKeyPolicy = policy(resources("aws_kms_key").find(([, k]) => k.key_usage === "SIGN_VERIFY")?.[1].policy);
const repositoryPolicy = policy(resources("aws_ecr_repository_policy")[0][1].policy);
const identities: Record<string, PolicyJson[]> = {
  [MODEL_ROLE]: [inlinePolicy(MODEL_ROLE)],
  [NODE_ROLE]: [inlinePolicy(NODE_ROLE), WORKER_NODE_MINIMAL],
  [CNI_ROLE]: [CNI_POLICY],
};

/** A request by a role's session, with its identity policies and the deploy boundary it carries. */
const as = (
  role: string,
  action: string,
  resource: string,
  resourcePolicy?: PolicyJson,
  context: Record<string, string> = {},
  resourceAccount = ACCOUNT,
) =>
  decide({
    principal: SESSION(role),
    action,
    resource,
    resourceAccount,
    resourcePolicy,
    identityPolicies: identities[role],
    permissionsBoundary: boundary,
    context: { "aws:RequestedRegion": REGION, ...context },
  });
const IN_VPC = { "aws:SourceVpce": ENDPOINT, "s3:TlsVersion": "1.3" };
const VIA_S3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": STORE };

describe("the default environment's workload identities", () => {
  it("gives every model its own role, bound to its service account, and the node and CNI roles theirs", () => {
    const names = resources("aws_iam_role").map(([, r]) => r.name);
    expect(names).toEqual(expect.arrayContaining([MODEL_ROLE, NODE_ROLE, CNI_ROLE, `${env.namePrefix}-eks-cluster`]));
    expect(resources("aws_eks_pod_identity_association").map(([, a]) => [a.namespace, a.service_account])).toEqual(
      expect.arrayContaining([
        ["kube-system", "aws-node"],
        [model.namespace, model.name],
      ]),
    );
  });

  describe(`the model role ${MODEL_ROLE}`, () => {
    it("reads its own model through the VPC endpoint, and decrypts it through S3 only", async () => {
      expect(await as(MODEL_ROLE, "s3:GetObject", OWN_MODEL, bucketPolicy, IN_VPC)).toBe("Allowed");
      expect(
        await as(MODEL_ROLE, "s3:ListBucket", STORE, bucketPolicy, { ...IN_VPC, "s3:prefix": model.modelPrefix }),
      ).toBe("Allowed");
      expect(await as(MODEL_ROLE, "kms:Decrypt", STORE_KEY, storeKeyPolicy, VIA_S3)).toBe("Allowed");
      expect(await as(MODEL_ROLE, "kms:Decrypt", STORE_KEY, storeKeyPolicy)).toBe("ImplicitlyDenied");
    });

    it("cannot read its model from outside the VPC, nor another model, nor list the store", async () => {
      expect(await as(MODEL_ROLE, "s3:GetObject", OWN_MODEL, bucketPolicy)).toBe("ExplicitlyDenied");
      expect(await as(MODEL_ROLE, "s3:GetObject", OTHER_MODEL, bucketPolicy, IN_VPC)).toBe("ImplicitlyDenied");
      expect(
        await as(MODEL_ROLE, "s3:ListBucket", STORE, bucketPolicy, {
          ...IN_VPC,
          "s3:prefix": env.modelStore.publishPrefix,
        }),
      ).toBe("ImplicitlyDenied");
    });

    it("fetches the served version and has KMS verify its signature, as its pods' verifier does", async () => {
      const version = `${model.modelPrefix}${model.version}/`;
      for (const key of ["manifest.sha256", "manifest.sig", "files/model.safetensors"]) {
        expect([key, await as(MODEL_ROLE, "s3:GetObject", `${STORE}/${version}${key}`, bucketPolicy, IN_VPC)]).toEqual([
          key,
          "Allowed",
        ]);
      }
      const listing = { ...IN_VPC, "s3:prefix": `${version}files/` };
      expect(await as(MODEL_ROLE, "s3:ListBucket", STORE, bucketPolicy, listing)).toBe("Allowed");
      const algorithm = { "kms:SigningAlgorithm": "ECDSA_SHA_256" };
      expect(await as(MODEL_ROLE, "kms:Verify", SIGNING_KEY, signingKeyPolicy, algorithm)).toBe("Allowed");
      expect(
        await as(MODEL_ROLE, "kms:Verify", SIGNING_KEY, signingKeyPolicy, {
          "kms:SigningAlgorithm": "RSASSA_PSS_SHA_256",
        }),
      ).toBe("ImplicitlyDenied");
      // It can check a signature, never make one.
      expect(await as(MODEL_ROLE, "kms:Sign", SIGNING_KEY, signingKeyPolicy, algorithm)).toBe("ImplicitlyDenied");
    });

    it("cannot write, delete or unlock a model", async () => {
      for (const action of ["s3:PutObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention"]) {
        expect([action, await as(MODEL_ROLE, action, OWN_MODEL, bucketPolicy, IN_VPC)]).toEqual([
          action,
          "ExplicitlyDenied",
        ]);
      }
    });

    it("cannot assume other roles, nor call EKS, EC2, IAM or ECR", async () => {
      // The boundary denies every use of the pipeline's own roles outright.
      expect(await as(MODEL_ROLE, "sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/${ciNames(env).applyRole}`)).toBe(
        "ExplicitlyDenied",
      );
      // And creating a role without that boundary.
      expect(await as(MODEL_ROLE, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/${env.namePrefix}-x`)).toBe(
        "ExplicitlyDenied",
      );
      const denied: [string, string][] = [
        ["sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/${NODE_ROLE}`],
        ["eks:DescribeCluster", CLUSTER],
        ["eks:CreateAccessEntry", CLUSTER],
        ["ec2:DescribeInstances", "*"],
        ["ec2:RunInstances", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`],
        ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/${NODE_ROLE}`],
        ["ecr:BatchGetImage", REPOSITORY],
      ];
      for (const [action, resource] of denied) {
        expect([action, await as(MODEL_ROLE, action, resource)]).toEqual([action, "ImplicitlyDenied"]);
      }
    });
  });

  describe(`the node role ${NODE_ROLE}`, () => {
    it("cannot read a model nor decrypt one, even from inside the VPC", async () => {
      expect(await as(NODE_ROLE, "s3:GetObject", OWN_MODEL, bucketPolicy, IN_VPC)).toBe("ImplicitlyDenied");
      expect(await as(NODE_ROLE, "s3:ListBucket", STORE, bucketPolicy, IN_VPC)).toBe("ImplicitlyDenied");
      expect(await as(NODE_ROLE, "kms:Decrypt", STORE_KEY, storeKeyPolicy, VIA_S3)).toBe("ImplicitlyDenied");
    });

    it("pulls from the blueprint's registry and the region's EKS add-on repositories, and from nowhere else", async () => {
      expect(await as(NODE_ROLE, "ecr:GetAuthorizationToken", "*")).toBe("Allowed");
      expect(await as(NODE_ROLE, "ecr:BatchGetImage", REPOSITORY, repositoryPolicy)).toBe("Allowed");
      const aws = (repository: string) => `arn:aws:ecr:${REGION}:602401143452:repository/${repository}`;
      expect(await as(NODE_ROLE, "ecr:BatchGetImage", aws("eks/coredns"), OPEN_REPOSITORY, {}, "602401143452")).toBe(
        "Allowed",
      );
      expect(
        await as(NODE_ROLE, "ecr:BatchGetImage", aws("some-other-image"), OPEN_REPOSITORY, {}, "602401143452"),
      ).toBe("ImplicitlyDenied");
      const elsewhere = `arn:aws:ecr:${REGION}:999988887777:repository/inference`;
      expect(await as(NODE_ROLE, "ecr:BatchGetImage", elsewhere, OPEN_REPOSITORY, {}, "999988887777")).toBe(
        "ImplicitlyDenied",
      );
      expect(await as(NODE_ROLE, "ecr:PutImage", REPOSITORY, repositoryPolicy)).toBe("ExplicitlyDenied");
    });

    it("hands out pod identities, but cannot become a model's role itself", async () => {
      expect(await as(NODE_ROLE, "eks-auth:AssumeRoleForPodIdentity", CLUSTER)).toBe("Allowed");
      expect(
        await decide({
          principal: SESSION(NODE_ROLE),
          action: "sts:AssumeRole",
          resource: `arn:aws:iam::${ACCOUNT}:role/${MODEL_ROLE}`,
          resourceAccount: ACCOUNT,
          resourcePolicy: trustOf(MODEL_ROLE),
          identityPolicies: identities[NODE_ROLE],
        }),
      ).toBe("ImplicitlyDenied");
    });
  });

  it(`lets the CNI (${CNI_ROLE}) manage network interfaces, and read no model`, async () => {
    expect(await as(CNI_ROLE, "ec2:CreateNetworkInterface", "*")).toBe("Allowed");
    expect(await as(CNI_ROLE, "s3:GetObject", OWN_MODEL, bucketPolicy, IN_VPC)).toBe("ImplicitlyDenied");
  });

  describe("the pipeline's apply role, under its boundary", () => {
    const apply = ciNames(env).applyRole;
    const applyPolicy = materializePolicy(
      Object.values(stacks.bootstrap.resource?.aws_iam_role_policy ?? {}).find((p) =>
        String(p.policy).includes("ManageBlueprintServices"),
      )?.policy,
      valueFor,
    );
    const secretsKeyPolicy = policy(
      resources("aws_kms_key").find(([id]) => id.startsWith("Cluster_SecretsKey_"))?.[1].policy,
    );
    const asApply = (action: string, resource: string, resourcePolicy?: PolicyJson, context = {}) =>
      decide({
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${apply}/github-actions`,
        action,
        resource,
        resourceAccount: ACCOUNT,
        resourcePolicy,
        identityPolicies: [applyPolicy],
        permissionsBoundary: boundary,
        context: { "aws:RequestedRegion": REGION, ...context },
      });
    const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

    it("can build the cluster: create it, pass its roles, associate pod identities, let EKS hold a grant", async () => {
      expect(await asApply("eks:CreateCluster", "*")).toBe("Allowed");
      for (const name of [`${env.namePrefix}-eks-cluster`, NODE_ROLE, CNI_ROLE, MODEL_ROLE]) {
        expect([name, await asApply("iam:PassRole", role(name))]).toEqual([name, "Allowed"]);
      }
      expect(await asApply("eks:CreatePodIdentityAssociation", CLUSTER)).toBe("Allowed");
      expect(
        await asApply(
          "iam:CreateServiceLinkedRole",
          role("aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup"),
        ),
      ).toBe("Allowed");
      const secretsKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/secrets`;
      expect(
        await asApply("kms:CreateGrant", secretsKey, secretsKeyPolicy, {
          "kms:ViaService": `eks.${REGION}.amazonaws.com`,
          "kms:GrantIsForAWSResource": "true",
        }),
      ).toBe("Allowed");
      expect(await asApply("kms:CreateGrant", secretsKey, secretsKeyPolicy)).toBe("ImplicitlyDenied");
    });

    it("can read what the workloads stack looks up and give the pipeline its cluster access", async () => {
      expect(await asApply("eks:DescribeCluster", CLUSTER)).toBe("Allowed");
      expect(await asApply("ec2:DescribeManagedPrefixLists", "*")).toBe("Allowed");
      expect(await asApply("eks:CreateAccessEntry", CLUSTER)).toBe("Allowed");
    });

    it("can build the edge: set API Gateway's logging role, create the API, the web ACL and the user pool", async () => {
      expect(await asApply("iam:PassRole", role(`${env.namePrefix}-svc-apigateway-logs`))).toBe("Allowed");
      expect(await asApply("apigateway:PATCH", `arn:aws:apigateway:${REGION}::/account`)).toBe("Allowed");
      expect(await asApply("apigateway:POST", `arn:aws:apigateway:${REGION}::/restapis`)).toBe("Allowed");
      expect(
        await asApply(
          "wafv2:AssociateWebACL",
          `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${env.namePrefix}-inference/id`,
        ),
      ).toBe("Allowed");
      expect(await asApply("cognito-idp:CreateUserPool", "*")).toBe("Allowed");
      expect(await asApply("elasticloadbalancing:CreateLoadBalancer", "*")).toBe("Allowed");
    });

    it("cannot exchange a pod's token itself, nor decrypt the cluster's Secrets", async () => {
      expect(await asApply("eks-auth:AssumeRoleForPodIdentity", CLUSTER)).toBe("ImplicitlyDenied");
      expect(
        await asApply("kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT}:key/secrets`, secretsKeyPolicy, {
          "kms:ViaService": `eks.${REGION}.amazonaws.com`,
        }),
      ).toBe("ImplicitlyDenied");
    });
  });

  describe("the pipeline's plan role, under its boundary", () => {
    const plan = ciNames(env).planRole;
    const planPolicies = [
      ...Object.values(stacks.bootstrap.resource?.aws_iam_role_policy ?? {}),
      ...Object.values(stacks.bootstrap.resource?.aws_iam_policy ?? {}),
    ]
      .filter((p) => String(p.policy).includes("eks:Describe*"))
      .map((p) => materializePolicy(p.policy, valueFor));
    const asPlan = (action: string, resource: string) =>
      decide({
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${plan}/github-actions`,
        action,
        resource,
        resourceAccount: ACCOUNT,
        identityPolicies: planPolicies,
        permissionsBoundary: boundary,
        context: { "aws:RequestedRegion": REGION },
      });

    it("can look up the cluster and the S3 prefix list the workloads stack reads, and change nothing", async () => {
      expect(planPolicies).toHaveLength(1);
      expect(await asPlan("eks:DescribeCluster", CLUSTER)).toBe("Allowed");
      expect(await asPlan("ec2:DescribeManagedPrefixLists", "*")).toBe("Allowed");
      expect(await asPlan("eks:CreateAccessEntry", CLUSTER)).toBe("ImplicitlyDenied");
      expect(await asPlan("eks:DeleteCluster", CLUSTER)).toBe("ImplicitlyDenied");
    });
  });

  describe("the model role's trust", () => {
    const tags = {
      "aws:SourceAccount": ACCOUNT,
      "aws:RequestTag/eks-cluster-arn": CLUSTER,
      "aws:RequestTag/kubernetes-namespace": model.namespace,
      "aws:RequestTag/kubernetes-service-account": model.name,
    };
    const assume = (action: string, context: Record<string, string>) =>
      decide({
        principal: "pods.eks.amazonaws.com",
        action,
        resource: `arn:aws:iam::${ACCOUNT}:role/${MODEL_ROLE}`,
        resourceAccount: ACCOUNT,
        resourcePolicy: trustOf(MODEL_ROLE),
        context,
      });

    it("admits EKS Pod Identity for the model's service account on this cluster", async () => {
      expect(await assume("sts:AssumeRole", tags)).toBe("Allowed");
      expect(await assume("sts:TagSession", tags)).toBe("Allowed");
    });

    it.each([
      ["another namespace", { "aws:RequestTag/kubernetes-namespace": "default" }],
      ["another service account", { "aws:RequestTag/kubernetes-service-account": "default" }],
      ["another cluster", { "aws:RequestTag/eks-cluster-arn": `${CLUSTER}-other` }],
      ["another account's association", { "aws:SourceAccount": "999988887777" }],
    ])("refuses %s", async (_what, change) => {
      expect(await assume("sts:AssumeRole", { ...tags, ...change })).toBe("ImplicitlyDenied");
    });
  });
});
