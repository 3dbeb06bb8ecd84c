import { GPU_NODE_LABELS, GpuNodeGroup, type GpuNodeGroupProps } from "../../../constructs/cluster/gpu-node-group";
import { ValidationError } from "../../../constructs/core/validation";
import { TEST_NETWORK, testCluster } from "../../support/cluster";
import { onlyResource, synthJson, testStack } from "../../support/synth";

const SCALING = { minSize: 0, desiredSize: 1, maxSize: 2 };

function build(props: Partial<GpuNodeGroupProps> = {}) {
  const stack = testStack();
  const cluster = testCluster(stack);
  new GpuNodeGroup(stack, "Gpu", { cluster, instanceTypes: ["g5.xlarge", "g6.xlarge"], scaling: SCALING, ...props });
  return synthJson(stack);
}

describe("GpuNodeGroup", () => {
  const json = build({ labels: { team: "fraud" } });
  const group = onlyResource(json, "aws_eks_node_group");
  const template = onlyResource(json, "aws_launch_template");

  it("runs NVIDIA's AL2023 AMI in the cluster's private subnets, on the cluster's version", () => {
    expect(group).toMatchObject({
      cluster_name: expect.stringMatching(/^\$\{aws_eks_cluster\.Cluster_\w+\.name\}$/),
      node_group_name: "gpu",
      ami_type: "AL2023_x86_64_NVIDIA",
      capacity_type: "ON_DEMAND",
      instance_types: ["g5.xlarge", "g6.xlarge"],
      subnet_ids: TEST_NETWORK.subnetIds,
      version: expect.stringMatching(/aws_eks_cluster\.Cluster_\w+\.version/),
      node_role_arn: expect.stringMatching(/aws_iam_role\.Cluster_NodeRole_\w+\.arn/),
    });
    expect(group.remote_access).toBeUndefined();
    expect(group.disk_size).toBeUndefined();
  });

  it("is tainted for GPU workloads and labelled for node selectors", () => {
    expect(group.taint).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    expect(group.labels).toEqual({ team: "fraud", ...GPU_NODE_LABELS });
  });

  it("scales from config, leaves the desired size to the autoscaler, replaces one node at a time and repairs nodes", () => {
    expect(group).toMatchObject({
      scaling_config: { min_size: 0, desired_size: 1, max_size: 2 },
      update_config: { max_unavailable: 1 },
      node_repair_config: { enabled: true },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
    });
  });

  it("boots from a launch template with IMDSv2 only, hop limit 1, an encrypted gp3 root volume and no key or public address", () => {
    expect(group.launch_template).toEqual({
      id: expect.stringMatching(/aws_launch_template\.Gpu_LaunchTemplate_\w+\.id/),
      version: expect.stringMatching(/aws_launch_template\.Gpu_LaunchTemplate_\w+\.latest_version/),
    });
    expect(template).toMatchObject({
      name: "test-gpu",
      update_default_version: true,
      vpc_security_group_ids: [expect.stringMatching(/aws_security_group\.Cluster_NodeSecurityGroup_\w+\.id/)],
      metadata_options: {
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        instance_metadata_tags: "disabled",
      },
      block_device_mappings: [
        {
          device_name: "/dev/xvda",
          ebs: {
            volume_size: 100,
            volume_type: "gp3",
            encrypted: "true",
            kms_key_id: expect.stringMatching(/aws_kms_key\.Cluster_NodeVolumeKey_\w+\.arn/),
            delete_on_termination: "true",
          },
        },
      ],
    });
    expect(template.key_name).toBeUndefined();
    expect(template.network_interfaces).toBeUndefined();
    expect(template.iam_instance_profile).toBeUndefined();
  });

  describe("bad input", () => {
    it.each([
      [
        "a CPU instance type",
        { instanceTypes: ["m5.xlarge"] },
        /instanceTypes = "m5\.xlarge" .*NVIDIA GPU instance types/,
      ],
      ["AMD GPUs", { instanceTypes: ["g4ad.xlarge"] }, /instanceTypes = "g4ad\.xlarge"/],
      ["an Arm GPU type", { instanceTypes: ["g5g.xlarge"] }, /instanceTypes = "g5g\.xlarge"/],
      ["Inferentia", { instanceTypes: ["inf2.xlarge"] }, /instanceTypes = "inf2\.xlarge"/],
      ["no instance type", { instanceTypes: [] }, /instanceTypes = \[\] .*1 to 20 distinct/],
      ["a malformed type", { instanceTypes: ["g5xlarge"] }, /an EC2 instance type/],
      [
        "min above max",
        { scaling: { minSize: 3, desiredSize: 3, maxSize: 2 } },
        /scaling = .*0 <= minSize <= desiredSize <= maxSize/,
      ],
      ["desired below min", { scaling: { minSize: 2, desiredSize: 1, maxSize: 3 } }, /scaling = /],
      [
        "a max of zero",
        { scaling: { minSize: 0, desiredSize: 0, maxSize: 0 } },
        /scaling\.maxSize = 0 .*from 1 to 450/,
      ],
      ["a fractional size", { scaling: { minSize: 0.5, desiredSize: 1, maxSize: 2 } }, /scaling\.minSize/],
      ["a root volume too small", { rootVolumeSizeGiB: 30 }, /rootVolumeSizeGiB = 30 .*from 50/],
      ["a root volume too large", { rootVolumeSizeGiB: 20000 }, /rootVolumeSizeGiB = 20000 .*16384/],
      ["an unknown capacity type", { capacityType: "RESERVED" as "SPOT" }, /capacityType = "RESERVED"/],
      ["a bad label", { labels: { "bad label": "x" } }, /labels key = "bad label"/],
      ["a bad name", { name: "GPU" }, /name = "GPU"/],
    ])("refuses %s with an error naming the property", (_what, props, message) => {
      expect(() => build(props)).toThrow(ValidationError);
      expect(() => build(props)).toThrow(message);
    });

    it("names the construct in the error and creates nothing", () => {
      const stack = testStack();
      const cluster = testCluster(stack);
      expect(() => new GpuNodeGroup(stack, "Gpu", { cluster, instanceTypes: ["c7i.large"], scaling: SCALING })).toThrow(
        /^test\/Gpu: instanceTypes/,
      );
      expect(synthJson(stack).resource?.aws_eks_node_group).toBeUndefined();
    });
  });
});
