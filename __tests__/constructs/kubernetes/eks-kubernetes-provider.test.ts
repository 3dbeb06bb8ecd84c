import { EksKubernetesProvider } from "../../../constructs/kubernetes/eks-kubernetes-provider";
import { synthJson, testStack } from "../../support/synth";

describe("EksKubernetesProvider", () => {
  const stack = testStack();
  new EksKubernetesProvider(stack, "Kubernetes", { clusterName: "smd-dev", region: "eu-west-1" });
  const json = synthJson(stack) as {
    provider: Record<string, Record<string, unknown>[]>;
    data: Record<string, Record<string, unknown>>;
  };

  it("looks the cluster up by name and authenticates with aws eks get-token: no token in the configuration", () => {
    expect(Object.values(json.data.aws_eks_cluster)).toEqual([{ name: "smd-dev" }]);
    const [provider] = json.provider.kubernetes;
    expect(Object.keys(provider).sort()).toEqual(["cluster_ca_certificate", "exec", "host"]);
    expect(provider.exec).toEqual([
      {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          expect.stringContaining("data.aws_eks_cluster."),
          "--region",
          "eu-west-1",
          "--output",
          "json",
        ],
      },
    ]);
  });

  it.each([
    [{ clusterName: "smd dev", region: "eu-west-1" }, 'clusterName = "smd dev" is not allowed'],
    [{ clusterName: "smd-dev", region: "europe" }, 'region = "europe" is not allowed'],
  ])("rejects %o", (props, message) => {
    expect(() => new EksKubernetesProvider(testStack(), "Kubernetes", props)).toThrow(message);
  });
});
