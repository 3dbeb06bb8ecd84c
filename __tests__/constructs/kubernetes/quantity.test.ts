import { checkImage } from "../../../constructs/kubernetes/container-image";
import { checkWorkloadUid, podSecurityLabels } from "../../../constructs/kubernetes/pod-security";
import { parseCpu, parseMemory, resourceList } from "../../../constructs/kubernetes/quantity";

describe("Kubernetes quantities", () => {
  it.each([
    ["500m", 500],
    ["2", 2000],
    ["1.5", 1500],
    ["0.25", 250],
  ])("reads CPU %s as %d millicores", (value, millicores) => {
    expect(parseCpu("x", "cpu", value)).toBe(millicores);
  });

  it.each(["", "0", "-1", "1.2345", "2 cores", "500M", "1e3"])("refuses CPU %j", (value) => {
    expect(() => parseCpu("x", "cpu", value)).toThrow(`x: cpu = ${JSON.stringify(value)} is not allowed`);
  });

  it.each([
    ["512Mi", 512 * 2 ** 20],
    ["16Gi", 16 * 2 ** 30],
    ["1G", 1e9],
    ["1024", 1024],
  ])("reads memory %s as %d bytes", (value, bytes) => {
    expect(parseMemory("x", "memory", value)).toBe(bytes);
  });

  it.each(["", "8GB", "8 Gi", "-1Gi", "0", "Gi"])("refuses memory %j", (value) => {
    expect(() => parseMemory("x", "memory", value)).toThrow("is not allowed");
  });

  it("renders a resource list with GPUs only when there are some", () => {
    expect(resourceList({ cpu: "1", memory: "1Gi" })).toEqual({ cpu: "1", memory: "1Gi" });
    expect(resourceList({ cpu: "1", memory: "1Gi", gpu: 2 })).toEqual({
      cpu: "1",
      memory: "1Gi",
      "nvidia.com/gpu": "2",
    });
  });
});

describe("images and Pod Security helpers", () => {
  const registry = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/smd";
  const digest = `@sha256:${"0".repeat(64)}`;

  it("accepts a digest of an allowed registry, also when the registry is a token the image starts with", () => {
    expect(checkImage("x", "image", `${registry}/inference${digest}`, [registry])).toBe(true);
    const token = "${TfToken[TOKEN.1]}.dkr.ecr.eu-west-1.amazonaws.com/smd";
    expect(checkImage("x", "image", `${token}/inference${digest}`, [token])).toBe(true);
  });

  it("refuses a digest in capitals, a tag plus digest in another registry, and no registry at all", () => {
    expect(() => checkImage("x", "image", `${registry}/inference@sha256:${"A".repeat(64)}`, [registry])).toThrow();
    expect(() => checkImage("x", "image", `${registry}/inference${digest}`, [])).toThrow("registries = []");
  });

  it("pins every mode's version and keeps audit and warn at restricted", () => {
    expect(podSecurityLabels("privileged", "1.34")).toEqual({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/enforce-version": "v1.34",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "v1.34",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "v1.34",
    });
  });

  it.each([0, 1, 9999, 10000.5, 2 ** 31])("refuses UID %d", (uid) => {
    expect(() => checkWorkloadUid("x", "runAsUser", uid)).toThrow(`x: runAsUser = ${uid} is not allowed`);
  });
});
