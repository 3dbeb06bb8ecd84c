import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { checkRegion, checkPattern } from "../core/validation";

/** The client-authentication API `aws eks get-token` answers with. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** Properties of an {@link EksKubernetesProvider}. */
export interface EksKubernetesProviderProps {
  /** The cluster's name: the only thing taken from the stack that made it. */
  readonly clusterName: string;
  /** The cluster's region (passed to `aws eks get-token`). */
  readonly region: string;
  /** The provider's alias, for a stack with more than one cluster. Default: none (the default kubernetes provider). */
  readonly alias?: string;
}

/**
 * The kubernetes provider for an EKS cluster, configured from the cluster's name alone: an `aws_eks_cluster` data
 * source gives the API endpoint and CA, and the provider authenticates by running `aws eks get-token` each time it
 * connects (`exec`), as the identity Terraform runs with; that identity needs an EKS access entry. No token is
 * written into the configuration, passed between stacks, stored in state or output.
 */
export class EksKubernetesProvider extends Construct {
  /** The `kubernetes` provider. */
  public readonly provider: KubernetesProvider;
  /** The `aws_eks_cluster` data source. */
  public readonly cluster: DataAwsEksCluster;

  constructor(scope: Construct, id: string, props: EksKubernetesProviderProps) {
    super(scope, id);
    const where = this.node.path;
    checkPattern(where, "clusterName", props.clusterName, /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "an EKS cluster name");
    checkRegion(where, "region", props.region);
    this.cluster = new DataAwsEksCluster(this, "Cluster", { name: props.clusterName });
    this.provider = new KubernetesProvider(this, "Provider", {
      alias: props.alias,
      host: this.cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(this.cluster.certificateAuthority.get(0).data),
      exec: [
        {
          apiVersion: EXEC_API_VERSION,
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", this.cluster.name, "--region", props.region, "--output", "json"],
        },
      ],
    });
  }
}
