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
    expect(index.target("${aws_s3_bucket.Gone.arn}")).toBeUndefined();
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
