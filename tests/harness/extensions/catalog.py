"""Resource types and Security Hub controls known to the harness.

The control -> resource-type table comes from the product's generated
``plugins/module_utils/control_table.py`` (loaded by file path so the harness works
whatever sys.path is).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
CONTROL_TABLE_PATH = REPO_ROOT / "plugins" / "module_utils" / "control_table.py"


@functools.lru_cache(maxsize=None)
def control_table() -> Any:
    spec = importlib.util.spec_from_file_location("_harness_control_table", CONTROL_TABLE_PATH)
    assert spec and spec.loader, CONTROL_TABLE_PATH
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def controls_table() -> dict[str, tuple[str, ...]]:
    return dict(control_table().CONTROLS)


@functools.lru_cache(maxsize=None)
def control_resource_types() -> frozenset[str]:
    return frozenset(t for types in controls_table().values() for t in types)


# Controls that need no AWS Config recording (checked by Security Hub itself) - added to
# the catalog so tests can enable controls that do not affect Config.1 check 2.
EXTRA_CONTROLS = ("Config.1", "IAM.4", "CloudTrail.1", "GuardDuty.1")

CONFIG1_TITLE = (
    "AWS Config should be enabled and use the service-linked role for resource recording"
)
CONFIG1_PARAM = "includeConfigServiceLinkedRoleCheck"

FSBP = "aws-foundational-security-best-practices/v/1.0.0"
CIS5 = "cis-aws-foundations-benchmark/v/5.0.0"
STANDARDS = (FSBP, CIS5)
STANDARD_NAMES = {
    FSBP: ("AWS Foundational Security Best Practices v1.0.0", True),
    CIS5: ("CIS AWS Foundations Benchmark v5.0.0", False),
}


@functools.lru_cache(maxsize=None)
def catalog() -> tuple[str, ...]:
    """Every control ID the emulator knows, sorted."""
    return tuple(sorted(set(controls_table()) | set(EXTRA_CONTROLS)))


def _cis_member(control_id: str) -> bool:
    return control_id == "Config.1" or control_id.split(".")[0] in ("IAM", "EC2", "S3")


@functools.lru_cache(maxsize=None)
def standard_controls(standard: str) -> tuple[str, ...]:
    if standard == FSBP:
        return catalog()
    if standard == CIS5:
        return tuple(c for c in catalog() if _cis_member(c))
    return ()


def standards_arn(region: str, standard: str) -> str:
    return f"arn:aws:securityhub:{region}::standards/{standard}"


def subscription_arn(region: str, account: str, standard: str) -> str:
    return f"arn:aws:securityhub:{region}:{account}:subscription/{standard}"


def standard_from_arn(arn: str) -> str | None:
    """standards or subscription ARN -> short key (``FSBP``/``CIS5``) or None."""
    for std in STANDARDS:
        if arn.endswith("/" + std) and (":standards/" in arn or ":subscription/" in arn):
            return std
    return None


def security_control_arn(region: str, account: str, control_id: str) -> str:
    return f"arn:aws:securityhub:{region}:{account}:security-control/{control_id}"


def title(control_id: str) -> str:
    if control_id == "Config.1":
        return CONFIG1_TITLE
    types = controls_table().get(control_id)
    if types:
        return f"{control_id} checks {', '.join(types)} resources (emulator catalog)"
    return f"{control_id} (emulator catalog; needs no AWS Config recording)"


def severity(control_id: str) -> str:
    return "CRITICAL" if control_id == "Config.1" else "MEDIUM"


def remediation_url(control_id: str) -> str:
    return f"https://docs.aws.amazon.com/console/securityhub/{control_id}/remediation"


def related_requirements(standard: str, control_id: str) -> list[str]:
    if control_id == "Config.1":
        return ["CIS AWS Foundations Benchmark v5.0.0/3.3"] if standard == CIS5 else [
            "NIST.800-53.r5 CM-3",
            "PCI DSS v3.2.1/10.5.2",
        ]
    return []
