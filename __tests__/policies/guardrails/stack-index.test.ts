import { isReference, referencesIn, StackIndex, valuesAt } from "../../../policies/guardrails/stack-index";

const json = {
  resource: {
    aws_s3_bucket: { Models: { "//": { metadata: { path: "app/Models/Bucket" } }, bucket: "models" } },
    aws_s3_bucket_versioning: {
      V: { bucket: "${aws_s3_bucket.Models.id}", versioning_configuration: [{ status: "Enabled" }] },
    },
    aws_s3_bucket_policy: { P: { bucket: "${aws_s3_bucket.Models.bucket}", policy: "{}" } },
  },
  data: { aws_iam_policy_document: { D: { statement: [{ actions: ["s3:GetObject"] }] } } },
  provider: { aws: [{ region: "eu-west-1" }, { alias: "us", region: "us-east-1" }] },
  terraform: { backend: { s3: { bucket: "state" } } },
  output: { name: { value: "${aws_s3_bucket.Models.bucket}" } },
};

describe("the stack index", () => {
  const index = new StackIndex("app", "app", json, new Map([["provider.aws", "app/aws"]]));

  it("lists every element with its address and construct path, without cdktf's metadata", () => {
    expect(index.elements.map((e) => [e.kind, e.address, e.path])).toEqual([
      ["resource", "aws_s3_bucket.Models", "app/Models/Bucket"],
      ["resource", "aws_s3_bucket_versioning.V", "app"],
      ["resource", "aws_s3_bucket_policy.P", "app"],
      ["data", "data.aws_iam_policy_document.D", "app"],
      ["provider", "provider.aws", "app/aws"],
      ["provider", "provider.aws.us", "app"],
      ["backend", "terraform.backend.s3", "app"],
      ["output", "output.name", "app"],
    ]);
    expect(index.get("aws_s3_bucket.Models")?.config).toEqual({ bucket: "models" });
  });

  it("finds the resources of a type that refer to an element through an attribute", () => {
    const bucket = index.get("aws_s3_bucket.Models")!;
    expect(index.referrers(bucket, "aws_s3_bucket_versioning", "bucket").map((e) => e.address)).toEqual([
      "aws_s3_bucket_versioning.V",
    ]);
    expect(index.referrers(bucket, "aws_s3_bucket_versioning", "policy")).toEqual([]);
    expect(index.referrers(bucket, "aws_s3_bucket_logging", "bucket")).toEqual([]);
  });

  it("resolves a value that is exactly one reference", () => {
    expect(index.target("${aws_s3_bucket.Models.arn}")).toEqual({
      element: index.get("aws_s3_bucket.Models"),
      attribute: "arn",
    });
    expect(index.target("${data.aws_iam_policy_document.D.json}")?.element.kind).toBe("data");
    expect(index.target("arn:${aws_s3_bucket.Models.arn}")).toBeUndefined();
    expect(index.target("${aws_s3_bucket.Models.arn} x")).toBeUndefined();
    expect(index.target("${aws_s3_bucket.Models.arn}${aws_s3_bucket.Models.id}")).toBeUndefined();
    expect(index.target("${aws_s3_bucket.Gone.arn}")).toBeUndefined();
    expect(index.target(["${aws_s3_bucket.Models.arn}"])).toBeUndefined();
  });

  it("resolves a reference that indexes into the attribute, to the element and the attribute", () => {
    const kubernetes = new StackIndex("app", "app", {
      resource: {
        kubernetes_namespace_v1: { Ns: { metadata: [{ name: "ai-inference" }] } },
        kubernetes_network_policy_v1: {
          P: { metadata: [{ name: "deny", namespace: "${kubernetes_namespace_v1.Ns.metadata[0].name}" }] },
        },
      },
      data: { aws_eks_cluster: { C: { name: "fixture" } } },
    });
    const namespace = kubernetes.get("kubernetes_namespace_v1.Ns");
    expect(namespace).toBeDefined();
    const metadata = { element: namespace, attribute: "metadata" };
    expect(kubernetes.target("${kubernetes_namespace_v1.Ns.metadata[0].name}")).toEqual(metadata);
    expect(kubernetes.target("${kubernetes_namespace_v1.Ns.metadata[0]}")).toEqual(metadata);
    expect(kubernetes.target("${kubernetes_namespace_v1.Ns.metadata}")).toEqual(metadata);
    expect(kubernetes.target("${data.aws_eks_cluster.C.certificate_authority[0].data}")).toEqual({
      element: kubernetes.get("data.aws_eks_cluster.C"),
      attribute: "certificate_authority",
    });
    // Still exactly one expression, and one value: no text around it, no splat, no function of it.
    for (const value of [
      "${kubernetes_namespace_v1.Ns.metadata[0].name} x",
      "x-${kubernetes_namespace_v1.Ns.metadata[0].name}",
      "${kubernetes_namespace_v1.Ns.metadata[*].name}",
      "${kubernetes_namespace_v1.Ns.metadata[0].name[0}",
      "${lower(kubernetes_namespace_v1.Ns.metadata[0].name)}",
      "${kubernetes_namespace_v1.Gone.metadata[0].name}",
    ]) {
      expect([value, kubernetes.target(value)]).toEqual([value, undefined]);
    }
    // The reference is in the index too: the policy refers to the namespace through its metadata.
    expect(kubernetes.referrers(namespace!, "kubernetes_network_policy_v1", "metadata").map((e) => e.address)).toEqual([
      "kubernetes_network_policy_v1.P",
    ]);
  });

  it("reads nested block values through lists", () => {
    expect(valuesAt(json.resource.aws_s3_bucket_versioning.V, "versioning_configuration.status")).toEqual(["Enabled"]);
    expect(valuesAt({ a: [{ b: 1 }, { b: 2 }] }, "a.b")).toEqual([1, 2]);
    expect(valuesAt({ a: 1 }, "a.b")).toEqual([]);
  });

  it("finds references inside expressions and tells them from literals", () => {
    expect(referencesIn({ x: ["${aws_kms_key.K.arn}", "a ${data.aws_caller_identity.C.account_id} b"] })).toEqual([
      ["aws_kms_key.K", "arn"],
      ["data.aws_caller_identity.C", "account_id"],
    ]);
    expect(referencesIn("${var.name}")).toEqual([]);
    expect(isReference("${var.x}")).toBe(true);
    expect(isReference("arn:aws:s3:::x")).toBe(false);
    expect(isReference(true)).toBe(false);
  });
});
