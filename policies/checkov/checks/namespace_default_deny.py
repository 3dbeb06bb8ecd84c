"""CKV_SMD_4: a namespace has a default-deny NetworkPolicy for ingress and egress in the same stack.

checkov has no such check: its Python checks see one resource at a time, and what makes a namespace default-deny is
another resource, a `kubernetes_network_policy_v1` / `kubernetes_network_policy` in it whose pod selector is empty (no
match_labels, no match_expressions), whose policy_types hold both Ingress and Egress and which has no ingress or
egress rule (not even a dynamic one). The policy is in the namespace when its `metadata.namespace` is the namespace's
literal name or a whole reference to this namespace resource (`${<type>.<name>.metadata[0].name}`, `.metadata.0.name`
or `.id`); a policy without a namespace is in `default`. It must use the same provider (alias) as the namespace, and
exist once: a literal `count` of 1 or more, or none, and no `for_each`.

Why not a YAML graph policy: checkov 3.3.30's `and` of a `connection` condition with attribute conditions on the
connected policies requires EVERY connected policy to meet the attributes (the AndConnectionSolver fails both ends
of each edge to a policy that does not), so a namespace with a default-deny policy plus the usual allow-dns policy
fails, and the policies themselves are reported (tried on the dev stack: `ai-inference` failed). It also sees only
references (a literal namespace name makes no edge), and there is no "one connected resource matches" operator.

How this check sees the other resources: checkov passes a Python check only the resource's own configuration, and
the file it names (`self.entity_path` = `<scanned_file>:<type>:<name>`) is relative to the scanned root with a leading
slash (`/workloads-dev/cdk.tf.json` for `-d cdktf.out/stacks`), which cannot be opened without knowing the root. The
project's scan (`policies/checkov-scan.ts`) passes that root in the environment variable `SMD_CHECKOV_ROOT`; a file
given to checkov by absolute path (`-f /abs/cdk.tf.json`) needs none. The check reads the file's JSON once per scan
(cached by path, size and modification time) and finds this namespace in it. Limits: run by hand with `-d` and without
`SMD_CHECKOV_ROOT`, every namespace fails with "cannot locate", never passes; only terraform_json is supported; the
policy must be a NetworkPolicy resource in the same file (stack) as the namespace, not a `kubernetes_manifest`;
variables and locals are not resolved.

Never a silent pass: when the file cannot be found or read, the namespace is not in it, a policy's namespace, count or
fields are not literal, or anything unexpected is raised (checkov would turn an exception into an unreported
UNKNOWN), the namespace FAILS, with the reason in the result's details.
"""

import json
import os
import re

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ROOT_VARIABLE = "SMD_CHECKOV_ROOT"
NETWORK_POLICY_TYPES = ("kubernetes_network_policy_v1", "kubernetes_network_policy")
SELECTOR_KEYS = ("match_labels", "match_expressions")
NAMESPACE_REFERENCE = re.compile(r"\$\{(kubernetes_namespace(?:_v1)?\.[A-Za-z0-9_-]+)\.[^}]+\}")


def _blocks(value):
    """The bodies of a block: cdktf writes one as a dict, HCL JSON may write a list of them."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    return None


def _block(value):
    """A block that may occur once: its one body, or None when it is absent, repeated or not literal."""
    bodies = _blocks(value)
    return bodies[0] if bodies is not None and len(bodies) == 1 else None


def _text(value):
    return value if isinstance(value, str) else None


def _is_literal(value):
    return isinstance(value, str) and "${" not in value


def _resources(document):
    """Every (type, name, config) of a Terraform JSON document."""
    for block in _blocks(document.get("resource")) or []:
        for resource_type, named in block.items():
            for bodies in _blocks(named) or []:
                for name, config in bodies.items():
                    if name == "//":
                        continue
                    for body in _blocks(config) or []:
                        yield resource_type, name, body


def _namespace_of(policy):
    """A policy's `metadata.namespace` (`default` when it has none), or None when it cannot be read."""
    metadata = _block(policy.get("metadata"))
    if metadata is None:
        return None
    return _text(metadata.get("namespace", "default"))


def _empty(value):
    return value is None or value == {} or value == []


def _default_deny_problems(spec):
    """Why a policy's spec is not default-deny for ingress and egress: an empty list when it is."""
    spec = _block(spec)
    if spec is None:
        return ["no literal spec"]
    problems = []
    selector = spec.get("pod_selector")
    selector_body = {} if selector is None else _block(selector)
    if selector_body is None or not all(
        key in SELECTOR_KEYS and (_empty(value) or value == [{}]) for key, value in selector_body.items()
    ):
        problems.append("its pod_selector is not empty (it selects only some pods)")
    types = spec.get("policy_types")
    if not isinstance(types, list):
        problems.append("policy_types is not a literal list")
    else:
        problems.extend(f"policy_types lacks {kind}" for kind in ("Ingress", "Egress") if kind not in types)
    problems.extend(f"it has {kind} rules" for kind in ("ingress", "egress") if not _empty(spec.get(kind)))
    if "dynamic" in spec:
        problems.append("it has dynamic rules")
    return problems


class NamespaceDefaultDeny(BaseResourceCheck):
    def __init__(self):
        super().__init__(
            name="Ensure a namespace has a default-deny NetworkPolicy for ingress and egress in the same stack",
            id="CKV_SMD_4",
            categories=[CheckCategories.KUBERNETES, CheckCategories.NETWORKING],
            supported_resources=["kubernetes_namespace_v1", "kubernetes_namespace"],
        )
        self._documents = {}

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["metadata/[0]/name"]
        try:
            return self._scan()
        except Exception as error:  # noqa: BLE001 - checkov would report an exception as nothing at all
            self.details.append(f"{self.id} could not evaluate this namespace: {error!r}")
            return CheckResult.FAILED

    def _scan(self):
        scanned_file, namespace_type, namespace_name = self.entity_path.rsplit(":", 2)
        path = self._file_path(scanned_file)
        if path is None:
            self.details.append(
                f"cannot locate {scanned_file} on disk: set {ROOT_VARIABLE} to the directory given to checkov's -d"
            )
            return CheckResult.FAILED
        resources = self._read(path)
        namespace = next(
            (c for t, n, c in resources if t == namespace_type and n == namespace_name),
            None,
        )
        if namespace is None:
            self.details.append(f"{namespace_type}.{namespace_name} is not in {path}")
            return CheckResult.FAILED
        metadata = _block(namespace.get("metadata")) or {}
        literal_name = metadata.get("name") if _is_literal(metadata.get("name")) else None
        references = {
            f"${{{namespace_type}.{namespace_name}.{attribute}}}"
            for attribute in ("metadata[0].name", "metadata.0.name", "id")
        }
        provider = namespace.get("provider")

        undecided = []
        not_default_deny = []
        for policy_type, policy_name, policy in resources:
            if policy_type not in NETWORK_POLICY_TYPES:
                continue
            label = f"{policy_type}.{policy_name}"
            where = _namespace_of(policy)
            if where is None:
                undecided.append(f"{label}: metadata.namespace is not a string")
                continue
            if where not in references and where != literal_name:
                reference = NAMESPACE_REFERENCE.fullmatch(where)
                this_namespace = f"{namespace_type}.{namespace_name}"
                if not _is_literal(where) and (not reference or reference.group(1) == this_namespace):
                    undecided.append(f"{label}: metadata.namespace {where} is neither a name nor a namespace's name")
                continue  # in another namespace, or undecided
            if policy.get("provider") != provider:
                continue  # created through another provider configuration: possibly another cluster
            count = policy.get("count", 1)
            if "for_each" in policy or isinstance(count, bool) or not isinstance(count, int):
                undecided.append(f"{label}: it has for_each or a count that is not a literal number")
                continue
            if count < 1:
                continue
            problems = _default_deny_problems(policy.get("spec"))
            if not problems:
                return CheckResult.PASSED
            not_default_deny.append(f"{label}: {', '.join(problems)}")

        name = literal_name or f"{namespace_type}.{namespace_name}"
        if not_default_deny:
            self.details.append(f"no NetworkPolicy in {name} is default-deny: " + "; ".join(not_default_deny))
        else:
            self.details.append(f"no NetworkPolicy of {scanned_file} is in the namespace {name}")
        if undecided:
            self.details.append("cannot decide whether these NetworkPolicies exist in it: " + "; ".join(undecided))
        return CheckResult.FAILED

    @staticmethod
    def _file_path(scanned_file):
        """The file on disk: under the scan's root (SMD_CHECKOV_ROOT), or the path itself when checkov got it whole."""
        root = os.environ.get(ROOT_VARIABLE)
        candidates = [os.path.join(root, scanned_file.lstrip("/"))] if root else []
        if os.path.isabs(scanned_file):
            candidates.append(scanned_file)
        return next((c for c in candidates if os.path.isfile(c)), None)

    def _read(self, path):
        """The file's resources as a list of (type, name, config), read once per version of the file."""
        status = os.stat(path)
        key = (os.path.realpath(path), status.st_size, status.st_mtime_ns)
        if key not in self._documents:
            with open(path, encoding="utf-8") as file:
                document = json.load(file)
            if not isinstance(document, dict):
                raise ValueError(f"{path} does not hold a JSON object")
            self._documents[key] = list(_resources(document))
        return self._documents[key]


check = NamespaceDefaultDeny()
