import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, type NetworkPolicyV1Spec } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import type { TerraformStack } from "cdktf";
import { EksKubernetesProvider } from "../../../constructs/kubernetes/eks-kubernetes-provider";
import { podSecurityLabels } from "../../../constructs/kubernetes/pod-security";
import { repositoryUriPrefix } from "../../../constructs/registry/container-registry";
import { valueAt } from "../../../policies/guardrails/stack-index";
import { SecureModelDeployment } from "../../../policies/guardrails/secure-model-deployment";
import { CONTROLS } from "../../../policies/guardrails/controls";
import {
  edgeResource,
  fixtureImage,
  inferenceEdge,
  type KubernetesFixture,
  kubernetesWorkloads,
  MODEL_SERVER,
  RULE_FIXTURES,
  webAclRules,
} from "../../fixtures/guardrail-fixtures";
import { type GuardedSynth, guardedSynth, openRuleIds } from "../../support/guardrails";

const rules = SecureModelDeployment.rules;

describe("the SecureModelDeployment rule pack", () => {
  it("has unique rule IDs, each naming real controls, a fix and a passing and a failing fixture", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect([rule.id, rule.controls.length > 0]).toEqual([rule.id, true]);
      for (const control of rule.controls) expect([rule.id, CONTROLS.has(control)]).toEqual([rule.id, true]);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
    expect(Object.keys(RULE_FIXTURES).sort()).toEqual([...ids].sort());
  });

  it("names checkov checks that exist in the pinned checkov's ID form", () => {
    // checkov's AWS checks (CKV_AWS_n, graph checks CKV2_AWS_n), its Terraform kubernetes checks (CKV_K8S_n) and the
    // blueprint's own (CKV_SMD_n, policies/checkov/checks): nothing else exists to skip.
    const checkovId = /^(CKV2?_AWS|CKV_K8S|CKV_SMD)_\d+$/;
    for (const id of rules.flatMap((r) => r.checkov ?? [])) expect(id).toMatch(checkovId);
    for (const id of ["CKV_K8S_", "CKV2_K8S_1", "CKV_SMD_3a", "ckv_aws_1", "CKV_GCP_1", "SMD-K8S-1"]) {
      expect(id).not.toMatch(checkovId);
    }
  });

  describe.each(rules.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    const fixture = RULE_FIXTURES[id];

    it("passes its passing fixture with no finding of any rule", () => {
      const result = guardedSynth(fixture.pass, { profile: fixture.profile });
      expect(result.open.map((f) => f.message)).toEqual([]);
      expect(result.error).toBeUndefined();
      // The rule did look at the fixture: the passing fixture is not passing by having nothing to check.
      expect(result.report.stacks[0].evaluations.filter((e) => e.ruleId === id && e.outcome === "pass")).not.toEqual(
        [],
      );
    });

    it(`fails its failing fixture with a ${rule.level}`, () => {
      const result = guardedSynth(fixture.fail, { profile: fixture.profile });
      expect(openRuleIds(result)).toEqual([id, ...(fixture.alsoFails ?? [])].sort());
      const finding = result.open.find((f) => f.ruleId === id);
      expect(finding?.level).toBe(rule.level);
      expect(finding?.message).toContain(`Fix: ${rule.fix}`);
      if (rule.level === "error") expect(result.error?.message).toContain(id);
      else expect(result.error).toBeUndefined();
    });
  });
});

describe("SMD-IAM-7's exemption for roles EC2 and EKS must be passed", () => {
  const trustWith = (statement: Record<string, unknown>) => (stack: TerraformStack) => {
    new IamRole(stack, "Role", {
      name: "fixture-node",
      permissionsBoundary: "arn:aws:iam::111122223333:policy/fixture-boundary",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }),
    });
  };

  it("accepts EC2 or EKS assuming (and tagging) a role without a source condition", () => {
    for (const [service, actions] of [
      ["ec2.amazonaws.com", ["sts:AssumeRole"]],
      ["eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]],
    ] as const) {
      const result = guardedSynth(trustWith({ Principal: { Service: service }, Action: actions }));
      expect([service, openRuleIds(result)]).toEqual([service, []]);
    }
  });

  it.each([
    [
      "another service beside EC2",
      { Principal: { Service: ["ec2.amazonaws.com", "s3.amazonaws.com"] }, Action: "sts:AssumeRole" },
    ],
    [
      "an action beyond assuming",
      { Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] },
    ],
  ])("still refuses %s", (_what, statement) => {
    expect(openRuleIds(guardedSynth(trustWith(statement)))).toEqual(["SMD-IAM-7"]);
  });
});

/** The outcomes of one rule, by the address of the element it evaluated. */
const outcomes = (result: GuardedSynth, ruleId: string) =>
  Object.fromEntries(
    result.report.stacks[0].evaluations.filter((e) => e.ruleId === ruleId).map((e) => [e.address, e.outcome]),
  );
/** The resolved configuration of one resource of the fixture stack. */
const resource = (result: GuardedSynth, type: string, name: string) =>
  (result.stack.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource[type][
    name
  ];

describe("the Kubernetes rules' subtle cases", () => {
  /** A restricted namespace with a quota and a limit range, but no NetworkPolicy: each test adds its own. */
  const rawNamespace = (stack: TerraformStack, id: string, name: string): NamespaceV1 => {
    const namespace = new NamespaceV1(stack, id, {
      metadata: { name, labels: podSecurityLabels("restricted", "1.35") },
    });
    const metadata = (objectName: string) => ({ name: objectName, namespace: namespace.metadata.name });
    new ResourceQuotaV1(stack, `${id}Quota`, { metadata: metadata("quota"), spec: { hard: { pods: "10" } } });
    new LimitRangeV1(stack, `${id}Limits`, {
      metadata: metadata("container-defaults"),
      spec: { limit: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" } }] },
    });
    return namespace;
  };
  const DENY_ALL: NetworkPolicyV1Spec = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
  /** A namespace "ai-inference" with one NetworkPolicy of the spec given, in the namespace `where` says. */
  const namespaceWithPolicy =
    (spec: NetworkPolicyV1Spec, where: (namespace: NamespaceV1) => string | undefined = (n) => n.metadata.name) =>
    (stack: TerraformStack) => {
      new EksKubernetesProvider(stack, "Kubernetes", { clusterName: "fixture", region: "eu-west-1" });
      const namespace = rawNamespace(stack, "Namespace", "ai-inference");
      new NetworkPolicyV1(stack, "Policy", { metadata: { name: "policy", namespace: where(namespace) }, spec });
    };

  describe("SMD-K8S-2", () => {
    it("accepts a default-deny policy that names its namespace by a reference to the namespace's name", () => {
      const result = guardedSynth(namespaceWithPolicy(DENY_ALL));
      expect(valueAt(resource(result, "kubernetes_network_policy_v1", "Policy"), "metadata.namespace")).toBe(
        "${kubernetes_namespace_v1.Namespace.metadata[0].name}",
      );
      expect([openRuleIds(result), result.error]).toEqual([[], undefined]);
      expect(outcomes(result, "SMD-K8S-2")).toEqual({ "kubernetes_namespace_v1.Namespace": "pass" });
    });

    it("accepts one that names its namespace literally", () => {
      expect(openRuleIds(guardedSynth(namespaceWithPolicy(DENY_ALL, () => "ai-inference")))).toEqual([]);
    });

    it.each([
      [
        "another namespace, by reference",
        (stack: TerraformStack) => rawNamespace(stack, "Other", "other").metadata.name,
      ],
      ["another namespace, literally", () => "other"],
      ["no namespace (the default one)", () => undefined],
    ])("refuses a default-deny policy in %s", (_what, where) => {
      const result = guardedSynth((stack) => {
        const other = where(stack);
        namespaceWithPolicy(DENY_ALL, () => other)(stack);
      });
      expect(openRuleIds(result)).toEqual(["SMD-K8S-2"]);
      expect(result.open.map((f) => f.address)).toEqual(["kubernetes_namespace_v1.Namespace"]);
    });

    it.each<[string, NetworkPolicyV1Spec]>([
      ["selects only some pods by label", { ...DENY_ALL, podSelector: { matchLabels: { app: "fraud" } } }],
      [
        "selects only some pods by expression",
        { ...DENY_ALL, podSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] } },
      ],
      ["has an ingress rule", { ...DENY_ALL, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }] }],
      ["has an empty ingress rule (which admits everything)", { ...DENY_ALL, ingress: [{}] }],
      ["has an egress rule", { ...DENY_ALL, egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] }],
      ["covers ingress only", { podSelector: {}, policyTypes: ["Ingress"] }],
    ])("refuses a policy that %s", (_what, spec) => {
      const result = guardedSynth(namespaceWithPolicy(spec));
      expect(openRuleIds(result)).toEqual(["SMD-K8S-2"]);
      expect(result.open[0].message).toContain("no NetworkPolicy of this stack in the namespace ai-inference");
    });
  });

  describe("SMD-K8S-1", () => {
    it.each(["enforce", "audit", "warn"])("refuses a namespace without the %s-version label", (mode) => {
      const label = `pod-security.kubernetes.io/${mode}-version`;
      const result = guardedSynth((s) =>
        kubernetesWorkloads(s, ({ namespace }) =>
          namespace.namespace.addOverride("metadata.labels", { [label]: undefined }),
        ),
      );
      expect(openRuleIds(result)).toEqual(["SMD-K8S-1"]);
      expect(result.open[0].message).toContain(`${label} is undefined (must pin a version`);
    });
  });

  describe("SMD-K8S-4", () => {
    const withUid = (uid: unknown) => (s: TerraformStack) =>
      kubernetesWorkloads(s, ({ service }) =>
        service.deployment.addOverride(`${MODEL_SERVER}.security_context.run_as_user`, uid),
      );

    it.each<unknown>(["10001", "10000", 10001])("accepts the UID %p", (uid) => {
      const result = guardedSynth(withUid(uid));
      expect(
        valueAt(
          resource(result, "kubernetes_deployment_v1", "Fraud_Deployment_C26363A0"),
          "spec.template.spec.container.security_context.run_as_user",
        ),
      ).toBe(uid);
      expect(openRuleIds(result)).toEqual([]);
      expect(outcomes(result, "SMD-K8S-4")["kubernetes_deployment_v1.Fraud_Deployment_C26363A0"]).toBe("pass");
    });

    it.each(["0", "999", "9999"])("refuses the UID %p", (uid) => {
      const result = guardedSynth(withUid(uid));
      expect(openRuleIds(result)).toEqual(["SMD-K8S-4"]);
      expect(result.open[0].message).toContain(`run_as_user is "${uid}" (must be 10000 or more)`);
    });

    it("takes the pod's UID when the container sets none, and refuses root there too", () => {
      const podUid = (uid: string) => (s: TerraformStack) =>
        kubernetesWorkloads(s, ({ service }) => {
          service.deployment.addOverride(`${MODEL_SERVER}.security_context.run_as_user`, undefined);
          service.deployment.addOverride("spec.template.spec.security_context.run_as_user", uid);
        });
      expect(openRuleIds(guardedSynth(podUid("10001")))).toEqual([]);
      expect(openRuleIds(guardedSynth(podUid("0")))).toEqual(["SMD-K8S-4"]);
    });
  });

  describe("SMD-K8S-3", () => {
    it("accepts an image whose registry's account is a reference to the caller identity", () => {
      const result = guardedSynth((s) => kubernetesWorkloads(s, undefined, repositoryUriPrefix(s, "fixture")));
      const image = valueAt(
        resource(result, "kubernetes_deployment_v1", "Fraud_Deployment_C26363A0"),
        "spec.template.spec.container.image",
      );
      expect(image).toMatch(
        /^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/fixture\/inference@sha256:[0-9a-f]{64}$/,
      );
      expect(openRuleIds(result)).toEqual([]);
      expect(outcomes(result, "SMD-K8S-3")["kubernetes_deployment_v1.Fraud_Deployment_C26363A0"]).toBe("pass");
    });

    it.each([
      ["another registry", fixtureImage("library/nginx", "docker.io")],
      [
        "a host that only begins like ECR",
        fixtureImage("fixture/inference", "${data.aws_caller_identity.x.account_id}.dkr.ecr.example.com"),
      ],
      [
        "no digest after a reference",
        "${data.aws_caller_identity.x.account_id}.dkr.ecr.eu-west-1.amazonaws.com/fixture/inference:latest",
      ],
    ])("refuses an image of %s", (_what, image) => {
      const result = guardedSynth((s) =>
        kubernetesWorkloads(s, ({ service }) => service.deployment.addOverride(`${MODEL_SERVER}.image`, image)),
      );
      expect(openRuleIds(result)).toEqual(["SMD-K8S-3"]);
    });
  });
});

describe("SMD-K8S-13: a model is verified before it is served", () => {
  const VERIFIER = "spec.template.spec.init_container.0";
  const failures = (change: (parts: KubernetesFixture) => void) => {
    const result = guardedSynth((s) => kubernetesWorkloads(s, change));
    return {
      ids: openRuleIds(result),
      messages: result.open.filter((f) => f.ruleId === "SMD-K8S-13").map((f) => f.message),
    };
  };

  it.each([
    [
      "a server that could change the verified files",
      ({ service }: KubernetesFixture) =>
        service.deployment.addOverride(`${MODEL_SERVER}.volume_mount.0.read_only`, false),
      "container model-server mounts the verified model volume model writable",
    ],
    [
      "a verifier script that does not verify",
      ({ service }: KubernetesFixture) => {
        const map = service.node.findChild("VerifierScript") as ConfigMapV1;
        map.addOverride("data", { "verify-model.sh": "#!/bin/bash\nexit 0\n" });
      },
      "does not run verify-model.sh from a ConfigMap of this stack that verifies",
    ],
    [
      "a verifier without its signing key",
      ({ service }: KubernetesFixture) => service.deployment.addOverride(`${VERIFIER}.env.2.value`, ""),
      "init_container verify-model has no SIGNING_KEY_ID",
    ],
    [
      "a model volume that is not an emptyDir",
      ({ service }: KubernetesFixture) => {
        service.deployment.addOverride("spec.template.spec.volume.0.empty_dir", undefined);
        service.deployment.addOverride("spec.template.spec.volume.0.persistent_volume_claim", { claim_name: "models" });
      },
      "the model volume model is not an emptyDir",
    ],
  ])("refuses %s", (_what, change, message) => {
    const { ids, messages } = failures(change);
    expect(ids).toContain("SMD-K8S-13");
    expect(messages.join("\n")).toContain(message);
  });

  it("holds a GPU workload written by hand, without InferenceService's labels, to the same check", () => {
    const result = guardedSynth((s) =>
      kubernetesWorkloads(s, ({ service }) => {
        service.deployment.addOverride("spec.template.metadata.labels", { "app.kubernetes.io/component": "batch" });
        service.deployment.addOverride("spec.template.spec.init_container", undefined);
      }),
    );
    expect(result.open.filter((f) => f.ruleId === "SMD-K8S-13").map((f) => f.message)).toEqual([
      expect.stringContaining("no init container runs verify-model.sh"),
    ]);
  });

  it("leaves pods that serve no model alone (the device plugin)", () => {
    const result = guardedSynth((s) => kubernetesWorkloads(s));
    const checked = result.report.stacks[0].evaluations.filter((e) => e.ruleId === "SMD-K8S-13").map((e) => e.address);
    expect(checked).toEqual([expect.stringMatching(/^kubernetes_deployment_v1\.Fraud_Deployment/)]);
  });
});

describe("the edge rules' subtle cases", () => {
  /** The one resource of a type in the fixture stack, resolved. */
  const only = (result: GuardedSynth, type: string) => {
    const all = Object.values(
      (result.stack.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource[
        type
      ],
    );
    expect(all).toHaveLength(1);
    return all[0];
  };
  const METHOD = "aws_api_gateway_method.Api_Post-fraud_250A4E92";
  const STAGE = "aws_api_gateway_stage.Api_Stage_B35FBB6B";

  describe("SMD-API-3", () => {
    it("accepts AWS_IAM with an API key", () => {
      const result = guardedSynth((s) => inferenceEdge(s, undefined, { authorization: "iam" }));
      const method = only(result, "aws_api_gateway_method");
      expect([method.authorization, method.api_key_required, method.authorizer_id]).toEqual([
        "AWS_IAM",
        true,
        undefined,
      ]);
      expect([openRuleIds(result), result.error]).toEqual([[], undefined]);
      expect(outcomes(result, "SMD-API-3")).toEqual({ [METHOD]: "pass" });
    });

    it("refuses AWS_IAM without an API key", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => edgeResource(api, "Post-fraud").addOverride("api_key_required", false), {
          authorization: "iam",
        }),
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-3"]);
      expect(result.open[0].message).toContain("api_key_required is false (must be true)");
    });

    it("refuses a Cognito method without scopes", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => edgeResource(api, "Post-fraud").addOverride("authorization_scopes", undefined)),
      );
      expect(valueAt(only(result, "aws_api_gateway_method"), "authorizer_id")).toMatch(
        /^\$\{aws_api_gateway_authorizer\./,
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-3"]);
      expect(result.open[0].message).toContain("without scopes any token of the pool passes");
    });
  });

  describe("SMD-API-4", () => {
    /** The IAM edge with one more method on the API's root, with no validator and no model. */
    const withMethod = (httpMethod: string) => (stack: TerraformStack) =>
      inferenceEdge(
        stack,
        ({ api }) =>
          new ApiGatewayMethod(stack, "Extra", {
            restApiId: api.apiId,
            resourceId: api.restApi.rootResourceId,
            httpMethod,
            authorization: "AWS_IAM",
            apiKeyRequired: true,
          }),
        { authorization: "iam" },
      );

    it.each(["GET", "DELETE"])("does not apply to a %s method", (httpMethod) => {
      const result = guardedSynth(withMethod(httpMethod));
      expect([openRuleIds(result), result.error]).toEqual([[], undefined]);
      expect(outcomes(result, "SMD-API-4")).toEqual({ [METHOD]: "pass" });
      // The method is there, and the other method rules do look at it.
      expect(outcomes(result, "SMD-API-3")["aws_api_gateway_method.Extra"]).toBe("pass");
    });

    it.each(["PUT", "PATCH", "ANY"])("refuses a %s method without a validator and a model", (httpMethod) => {
      const result = guardedSynth(withMethod(httpMethod));
      expect(openRuleIds(result)).toEqual(["SMD-API-4"]);
      expect(result.open.map((f) => f.address)).toEqual(["aws_api_gateway_method.Extra"]);
      expect(result.open[0].message).toContain("request_models is not set");
    });
  });

  describe("SMD-API-5", () => {
    it.each(["throttling_rate_limit", "throttling_burst_limit"])(
      "refuses %s -1, which turns throttling off",
      (limit) => {
        const result = guardedSynth((s) =>
          inferenceEdge(s, ({ api }) => edgeResource(api, "MethodSettings").addOverride(`settings.${limit}`, -1)),
        );
        expect(openRuleIds(result)).toEqual(["SMD-API-5"]);
        expect(result.open[0].message).toContain("-1 turns throttling off");
      },
    );

    it("refuses a method's own settings that log bodies, and accepts ones that do not", () => {
      const withMethodSettings = (dataTraceEnabled: boolean) => (stack: TerraformStack) =>
        inferenceEdge(stack, ({ api }) => {
          new ApiGatewayMethodSettings(stack, "FraudSettings", {
            restApiId: api.apiId,
            stageName: api.stage.stageName,
            methodPath: "v1/models/fraud/invoke/POST",
            settings: { metricsEnabled: true, loggingLevel: "INFO", dataTraceEnabled },
          });
        });
      const tracing = guardedSynth(withMethodSettings(true));
      expect(openRuleIds(tracing)).toEqual(["SMD-API-5"]);
      expect(tracing.open[0].message).toContain(
        "aws_api_gateway_method_settings.FraudSettings logs the full requests and responses of v1/models/fraud/invoke/POST",
      );
      const quiet = guardedSynth(withMethodSettings(false));
      expect([openRuleIds(quiet), quiet.error]).toEqual([[], undefined]);
      expect(outcomes(quiet, "SMD-API-5")).toEqual({ [STAGE]: "pass" });
    });
  });

  describe("SMD-API-6", () => {
    it("refuses a plan with a quota of 0", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => edgeResource(api, "Plan-partner").addOverride("quota_settings.limit", 0)),
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-6"]);
      expect(result.open[0].message).toContain("Api_Plan-partner");
      expect(result.open[0].message).toContain("sets no quota_settings limit and period");
    });

    it("refuses a stage no usage plan names", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => {
          for (const tier of ["standard", "partner"])
            edgeResource(api, `Plan-${tier}`).addOverride("api_stages", undefined);
        }),
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-6"]);
      expect(result.open[0].message).toContain("no aws_api_gateway_usage_plan of this stack names this stage");
    });
  });

  describe("SMD-API-7", () => {
    const REST_API = "aws_api_gateway_rest_api.Api_RestApi_88175D59";

    it("refuses a mapped API whose execute-api endpoint stays on", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => api.restApi.addOverride("disable_execute_api_endpoint", false), {
          customDomain: true,
        }),
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-7"]);
      expect(result.open.map((f) => f.address)).toEqual([REST_API]);
      expect(result.open[0].message).toContain("its execute-api endpoint is still on");
    });

    it("accepts an unmapped API with its execute-api endpoint on", () => {
      const result = guardedSynth((s) => inferenceEdge(s));
      expect(only(result, "aws_api_gateway_rest_api").disable_execute_api_endpoint).toBe(false);
      expect(result.stack.toTerraform().resource.aws_api_gateway_base_path_mapping).toBeUndefined();
      expect([openRuleIds(result), result.error]).toEqual([[], undefined]);
      expect(outcomes(result, "SMD-API-7")[REST_API]).toBe("pass");
    });

    it("refuses a custom domain on TLS 1.0", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ api }) => edgeResource(api, "Domain").addOverride("security_policy", "TLS_1_0"), {
          customDomain: true,
        }),
      );
      expect(openRuleIds(result)).toEqual(["SMD-API-7"]);
      expect(result.open.map((f) => f.address)).toEqual(["aws_api_gateway_domain_name.Api_Domain_BBE0B8D4"]);
      expect(result.open[0].message).toContain('security_policy is "TLS_1_0" (must be "TLS_1_2")');
    });
  });

  describe("SMD-WAF-1", () => {
    /** The edge with the web ACL's rules, as WebAcl writes them, changed. */
    const withRules =
      (change: (rule: Record<string, unknown>) => Record<string, unknown> | undefined) => (stack: TerraformStack) =>
        inferenceEdge(stack, ({ webAcl }) => {
          const rules = webAclRules(webAcl)
            .map(change)
            .filter((r) => r !== undefined);
          webAcl.webAcl.addOverride("rule", rules);
        });

    it("refuses a web ACL without the rate-based rule", () => {
      const result = guardedSynth(withRules((r) => (r.name === "rate-per-client-ip" ? undefined : r)));
      expect(openRuleIds(result)).toEqual(["SMD-WAF-1"]);
      expect(result.open[0].message).toContain("no rate_based_statement");
    });

    it.each([
      ["AWSManagedRulesKnownBadInputsRuleSet", { override_action: [{ count: [{}] }] }],
      ["rate-per-client-ip", { action: [{ count: [{}] }] }],
    ])("refuses %s in count mode, which blocks nothing", (name, mode) => {
      const result = guardedSynth(withRules((r) => (r.name === name ? { ...r, ...mode } : r)));
      expect(openRuleIds(result)).toEqual(["SMD-WAF-1"]);
    });
  });

  describe("SMD-WAF-2", () => {
    it("accepts a destination that is a reference to an aws-waf-logs- log group of the stack", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ webAcl }) => {
          edgeResource(webAcl, "Logging").addOverride("log_destination_configs.0", webAcl.logGroup.resource.arn);
        }),
      );
      expect(only(result, "aws_wafv2_web_acl_logging_configuration").log_destination_configs).toEqual([
        expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}$/),
      ]);
      expect([openRuleIds(result), result.error]).toEqual([[], undefined]);
      expect(outcomes(result, "SMD-WAF-2")).toEqual({ "aws_wafv2_web_acl.WebAcl_9BD21CA7": "pass" });
    });

    it("refuses a reference to a log group of another name", () => {
      const result = guardedSynth((s) =>
        inferenceEdge(s, ({ stack, logsKey, webAcl }) => {
          const other = new CloudwatchLogGroup(stack, "OtherLogs", {
            name: "/fixture/waf",
            kmsKeyId: logsKey.arn,
            retentionInDays: 365,
          });
          edgeResource(webAcl, "Logging").addOverride("log_destination_configs.0", other.arn);
        }),
      );
      expect(openRuleIds(result)).toEqual(["SMD-WAF-2"]);
      expect(result.open[0].message).toContain("logs to none of this account's aws-waf-logs-* log groups");
    });
  });
});
