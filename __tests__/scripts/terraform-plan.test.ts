import { deployOrder, planCounts, planMarkdown, waitsForApply } from "../../scripts/terraform-plan";

describe("deployOrder", () => {
  it("puts every stack after the stacks it depends on", () => {
    const manifest = {
      stacks: {
        "platform-dev": { dependencies: ["baseline"] },
        "workloads-dev": { dependencies: ["platform-dev"] },
        baseline: { dependencies: ["bootstrap"] },
        bootstrap: {},
      },
    };
    expect(deployOrder(manifest)).toEqual(["bootstrap", "baseline", "platform-dev", "workloads-dev"]);
  });

  it("refuses a cycle and a missing dependency", () => {
    expect(() => deployOrder({ stacks: { a: { dependencies: ["b"] }, b: { dependencies: ["a"] } } })).toThrow(
      "stack dependencies form a cycle: a -> b -> a",
    );
    expect(() => deployOrder({ stacks: { a: { dependencies: ["gone"] } } })).toThrow(
      "stack a depends on gone, which the manifest does not have",
    );
  });
});

describe("plan summaries", () => {
  const change = (address: string, ...actions: string[]) => ({ address, change: { actions } });
  const counts = planCounts({
    resource_changes: [
      change("aws_vpc.Network", "create"),
      change("aws_subnet.a", "create"),
      change("aws_kms_key.Logs", "update"),
      change("aws_flow_log.Log", "delete", "create"),
      change("aws_route.old", "delete"),
      change("aws_s3_bucket.Kept", "no-op"),
    ],
  });

  it("counts creates, updates, replacements and deletions, and names what is destroyed", () => {
    expect(counts).toEqual({
      create: 2,
      update: 1,
      replace: 1,
      delete: 1,
      destructive: ["aws_flow_log.Log", "aws_route.old"],
    });
  });

  it("writes a table per environment and puts destructive changes first in line for review", () => {
    const markdown = planMarkdown("dev", [{ stack: "platform-dev", counts }]);
    expect(markdown).toContain("| `platform-dev` | 2 | 1 | 1 | 1 |");
    expect(markdown).toContain("- platform-dev: `aws_flow_log.Log`");
    const quiet = planMarkdown("dev", [{ stack: "baseline", counts: planCounts({}) }]);
    expect(quiet).toContain("Nothing is deleted or replaced.");
  });
});

describe("a stack that deploys to a cluster its dependency creates", () => {
  const creatingCluster = {
    resource_changes: [{ address: "aws_eks_cluster.Cluster_1", change: { actions: ["create"] } }],
  };
  const updating = { resource_changes: [{ address: "aws_eks_cluster.Cluster_1", change: { actions: ["update"] } }] };
  const kubernetes = { provider: { aws: [{}], kubernetes: [{}] } };

  it("waits for the apply while the cluster is still to be created, and says so in the summary", () => {
    const waiting = waitsForApply(kubernetes, [{ stack: "platform-dev", plan: creatingCluster }]);
    expect(waiting).toBe(
      "planned once platform-dev is applied: its plan creates the EKS cluster this stack deploys to",
    );
    const markdown = planMarkdown("dev", [{ stack: "workloads-dev", waiting: waiting ?? "" }]);
    expect(markdown).toContain(`| \`workloads-dev\` | ${waiting} | | | |`);
    expect(markdown).toContain("Nothing is deleted or replaced.");
  });

  it("is planned once the cluster exists, and a stack without a kubernetes provider never waits", () => {
    expect(waitsForApply(kubernetes, [{ stack: "platform-dev", plan: updating }])).toBeUndefined();
    expect(waitsForApply(kubernetes, [])).toBeUndefined();
    expect(waitsForApply({ provider: { aws: [{}] } }, [{ stack: "baseline", plan: creatingCluster }])).toBeUndefined();
  });
});
