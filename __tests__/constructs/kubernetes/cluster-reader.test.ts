import { ClusterReader, TERRAFORM_MANAGED_KINDS } from "../../../constructs/kubernetes/cluster-reader";
import { onlyResource, synthJson, testStack } from "../../support/synth";

describe("ClusterReader", () => {
  const stack = testStack();
  new ClusterReader(stack, "Reader", { name: "terraform-plan-reader", group: "blueprint:terraform-plan" });
  const json = synthJson(stack);

  it("may only get the named kinds: no list, no watch, no Secrets, no wildcard", () => {
    const role = onlyResource(json, "kubernetes_cluster_role_v1");
    expect(role.rule).toEqual(
      TERRAFORM_MANAGED_KINDS.map((k) => ({ api_groups: [k.apiGroup], resources: [...k.resources], verbs: ["get"] })),
    );
    expect(JSON.stringify(role.rule)).not.toMatch(/secrets|configmaps|"\*"/);
  });

  it("is bound to one group", () => {
    expect(onlyResource(json, "kubernetes_cluster_role_binding_v1")).toMatchObject({
      role_ref: { kind: "ClusterRole", api_group: "rbac.authorization.k8s.io" },
      subject: [{ kind: "Group", name: "blueprint:terraform-plan", api_group: "rbac.authorization.k8s.io" }],
    });
  });

  it.each([
    ["secrets", [{ apiGroup: "", resources: ["secrets"] }]],
    ["a wildcard resource", [{ apiGroup: "apps", resources: ["*"] }]],
    ["a wildcard API group", [{ apiGroup: "*", resources: ["pods"] }]],
    ["no resources", [{ apiGroup: "", resources: [] }]],
  ])("refuses %s", (_name, resources) => {
    expect(() => new ClusterReader(testStack(), "Reader", { name: "r", group: "g", resources })).toThrow(
      "resources[0] = ",
    );
  });

  it("refuses a group EKS would refuse", () => {
    expect(() => new ClusterReader(testStack(), "Reader", { name: "r", group: "system:masters" })).toThrow(
      'group = "system:masters" is not allowed',
    );
  });
});
