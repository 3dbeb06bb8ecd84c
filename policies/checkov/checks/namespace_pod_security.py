"""CKV_SMD_3: a namespace enforces, audits and warns at the restricted Pod Security Standard, versions pinned.

checkov has no check of a namespace's Pod Security admission labels: its Kubernetes checks look at pods and their
controllers one by one, while the labels are what makes the API server refuse a privileged pod in the first place.
This check reads `metadata.labels` of every `kubernetes_namespace_v1` / `kubernetes_namespace`: each of
`pod-security.kubernetes.io/enforce`, `/audit` and `/warn` must be `restricted`, and each `/<mode>-version` must pin a
Kubernetes minor version (`v1.35`), since `latest` or no version changes what is admitted with every upgrade. Labels
that are not literal (a `${...}` reference) cannot be read, so they fail; the reasons are in the result's details.
The one namespace that must enforce `privileged` (a node agent's) is accepted by the suppression register (SMD-K8S-1).
"""

import re

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

LABEL_PREFIX = "pod-security.kubernetes.io"
MODES = ("enforce", "audit", "warn")
LEVEL = "restricted"
PINNED_VERSION = re.compile(r"^v1\.\d+$")


def _block(value):
    """A block as cdktf writes it (a dict) or as checkov hands it over (a list holding the dict), else None."""
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    return value if isinstance(value, dict) else None


def _labels(value):
    """Labels as a dict (a dict, or a list of dicts merged), without checkov's line markers; None when not literal."""
    parts = value if isinstance(value, list) else [value]
    if not parts or not all(isinstance(part, dict) for part in parts):
        return None
    labels = {}
    for part in parts:
        labels.update({key: val for key, val in part.items() if not key.startswith("__")})
    return labels


def _scalar(value):
    """A label's value: checkov wraps it in a one-element list."""
    if isinstance(value, list):
        return value[0] if len(value) == 1 else None
    return value


class NamespacePodSecurity(BaseResourceCheck):
    def __init__(self):
        super().__init__(
            name="Ensure a namespace enforces, audits and warns at the restricted Pod Security level, versions pinned",
            id="CKV_SMD_3",
            categories=[CheckCategories.KUBERNETES],
            supported_resources=["kubernetes_namespace_v1", "kubernetes_namespace"],
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["metadata/[0]/labels"]
        metadata = _block(conf.get("metadata"))
        labels = _labels(metadata.get("labels")) if metadata is not None else None
        if labels is None:
            self.details.append("metadata.labels is missing or not a literal map: no Pod Security level can be read")
            return CheckResult.FAILED
        for mode in MODES:
            level = _scalar(labels.get(f"{LABEL_PREFIX}/{mode}"))
            version = _scalar(labels.get(f"{LABEL_PREFIX}/{mode}-version"))
            if level != LEVEL:
                self.details.append(f'{LABEL_PREFIX}/{mode} is {level!r}, not "{LEVEL}"')
            if not isinstance(version, str) or not PINNED_VERSION.match(version):
                self.details.append(f'{LABEL_PREFIX}/{mode}-version is {version!r}, not pinned (such as "v1.35")')
        return CheckResult.FAILED if self.details else CheckResult.PASSED


check = NamespacePodSecurity()
