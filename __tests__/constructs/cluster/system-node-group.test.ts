import { SystemNodeGroup, type SystemNodeGroupProps } from "../../../constructs/cluster/system-node-group";
import { ValidationError } from "../../../constructs/core/validation";
import { testCluster } from "../../support/cluster";
import { onlyResource, synthJson, testStack } from "../../support/synth";

function build(props: Partial<SystemNodeGroupProps> = {}) {
  const stack = testStack();
  const cluster = testCluster(stack);
  new SystemNodeGroup(stack, "System", {
    cluster,
    instanceTypes: ["m7i.large"],
    scaling: { minSize: 2, desiredSize: 2, maxSize: 3 },
    ...props,
  });
  return synthJson(stack);
}

describe("SystemNodeGroup", () => {
  it("runs cluster services on tainted CPU nodes from the hardened launch template", () => {
    const json = build();
    expect(onlyResource(json, "aws_eks_node_group")).toMatchObject({
      node_group_name: "system",
      ami_type: "AL2023_x86_64_STANDARD",
      taint: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      labels: { workload: "system" },
    });
    expect(onlyResource(json, "aws_launch_template")).toMatchObject({
      name: "test-system",
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      block_device_mappings: [{ ebs: { volume_size: 30, encrypted: "true" } }],
    });
  });

  it("runs Graviton types on the Arm AMI", () => {
    const json = build({ architecture: "arm64", instanceTypes: ["m7g.large", "c7gn.large"] });
    expect(onlyResource(json, "aws_eks_node_group").ami_type).toBe("AL2023_ARM_64_STANDARD");
  });

  it.each([
    ["a GPU type", { instanceTypes: ["g5.xlarge"] }, /instanceTypes = "g5\.xlarge" .*no accelerators/],
    [
      "an Arm type on the x86 AMI",
      { instanceTypes: ["m7g.large"] },
      /instanceTypes = "m7g\.large" .*x86_64 instance types/,
    ],
    [
      "an x86 type on the Arm AMI",
      { architecture: "arm64" as const, instanceTypes: ["m7i.large"] },
      /arm64 instance types/,
    ],
    ["an unknown architecture", { architecture: "riscv" as "arm64" }, /architecture = "riscv"/],
    ["a root volume below the AMI's snapshot", { rootVolumeSizeGiB: 10 }, /rootVolumeSizeGiB = 10 .*from 20/],
  ])("refuses %s with an error naming the property", (_what, props, message) => {
    expect(() => build(props)).toThrow(ValidationError);
    expect(() => build(props)).toThrow(message);
  });
});
