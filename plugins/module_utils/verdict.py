# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evaluate Config.1 the way Security Hub does. Pure functions over the gathered plain dicts.

Inputs are the shapes that gather.py returns (documented there); nothing here calls AWS.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import recording
from ansible_collections.secops.config1.plugins.module_utils.control_table import CONTROLS


def split_controls(control_ids):
    """(known, unknown) control IDs against the shipped table; order kept, duplicates dropped."""
    known, unknown, seen = [], [], set()
    for cid in control_ids or ():
        if cid in seen:
            continue
        seen.add(cid)
        # Config.1 needs no recording and is never in the table, yet Security Hub always reports it
        # (gather asks for it): without this it was flagged "unknown" in every Region of every run.
        (known if cid in CONTROLS or cid == c.CONFIG1_CONTROL_ID else unknown).append(cid)
    return known, unknown


def region_role(region, account, home_region=None):
    """'home', 'linked' or 'standalone' for the Region's place in cross-Region aggregation."""
    aggregator = (account or {}).get("aggregator")
    home = home_region or (aggregator or {}).get("home_region")
    if not home:
        return "standalone"
    if region == home:
        return "home"
    if not aggregator or home_region and aggregator.get("home_region") != home_region:
        # The caller named the home Region: the other Regions are taken as linked to it.
        return "linked"
    mode = aggregator.get("mode") or "ALL_REGIONS"
    listed = region in (aggregator.get("regions") or ())
    if mode == "ALL_REGIONS":
        linked = True
    elif mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
        linked = not listed
    elif mode == "SPECIFIED_REGIONS":
        linked = listed
    else:  # NO_REGIONS
        linked = False
    return "linked" if linked else "standalone"


def required_types(enabled_controls, role):
    """Resource types that the enabled controls need; IAM globals only where they count."""
    types = set()
    for cid in enabled_controls:
        types.update(CONTROLS.get(cid, ()))
    if role == "linked":
        types.difference_update(c.IAM_GLOBAL_TYPES)
    return sorted(types, key=lambda t: (t.lower(), t))


def role_check_enabled(parameters):
    """Value of includeConfigServiceLinkedRoleCheck from BatchGetSecurityControls Parameters."""
    param = (parameters or {}).get(c.ROLE_CHECK_PARAMETER) or {}
    if param.get("ValueType") == "CUSTOM":
        value = (param.get("Value") or {}).get("Boolean")
        if value is not None:
            return bool(value)
    return True


def reason(code, description=None, **fmt):
    text = description if description is not None else c.REASON_TEXT.get(code, code)
    if fmt:
        text = text.format(**fmt)
    return {"code": code, "description": text}


def not_available(error):
    hint = c.NA_HINTS.get(error["code"], "")
    detail = "%s (%s: %s)" % (hint, error.get("operation") or "AWS", error.get("aws_code") or error.get("message"))
    return reason(error["code"], detail)


def recorder_view(rec, status):
    if not rec:
        return None
    status = status or {}
    return {
        "name": rec.get("name"),
        "arn": rec.get("arn"),
        "role_arn": rec.get("roleARN"),
        "uses_service_linked_role": c.is_service_linked_role_arn(rec.get("roleARN")),
        "recording": bool(status.get("recording")),
        "last_status": status.get("lastStatus"),
        "last_error_code": status.get("lastErrorCode"),
        "recording_group": recording.api_group(recording.canonical_group(rec.get("recordingGroup"))),
        "recording_mode": recording.canonical_mode(rec.get("recordingMode")),
        "managed_by": recording.managed_by(rec.get("name")),
    }


def finding_view(finding):
    if not finding:
        return None
    compliance = finding.get("Compliance") or {}
    return {
        "id": finding.get("Id"),
        "compliance_status": compliance.get("Status"),
        "reasons": [
            {"code": r.get("ReasonCode"), "description": r.get("Description")} for r in compliance.get("StatusReasons") or []
        ],
        "workflow_status": (finding.get("Workflow") or {}).get("Status"),
        "record_state": finding.get("RecordState"),
        "updated_at": finding.get("UpdatedAt"),
    }


def sh_recorder(state):
    for rec in state.get("service_linked_recorders") or ():
        if rec.get("servicePrincipal") == c.SECURITY_HUB_PRINCIPAL or rec.get("name") == c.SECURITY_HUB_RECORDER_NAME:
            return rec
    return None


def enabled_controls(state, options):
    """(enabled control IDs or None, error reason or None)."""
    if options.get("controls") is not None:
        return list(options["controls"]), None
    sh = state.get("security_hub") or {}
    if sh.get("error"):
        return None, not_available(sh["error"])
    if not sh.get("enabled"):
        return None, reason(c.NA_SECURITY_HUB_NOT_ENABLED, c.NA_HINTS[c.NA_SECURITY_HUB_NOT_ENABLED])
    return sorted(cid for cid, st in (sh.get("controls") or {}).items() if st == "ENABLED"), None


def evaluate_region(state, account, options=None):
    """The Config.1 verdict for one Region (the shape documented in config1_facts RETURN)."""
    options = options or {}
    region = state["region"]
    sh = state.get("security_hub") or {}
    role = region_role(region, account, options.get("home_region"))
    home = options.get("home_region") or ((account or {}).get("aggregator") or {}).get("home_region")
    role_check = role_check_enabled(sh.get("config1_parameters"))
    if options.get("role_check") is not None:
        role_check = bool(options["role_check"])
    controls, sh_problem = enabled_controls(state, options)
    known, unknown = split_controls(controls or ())
    required = required_types(known, role)
    rec = state.get("recorder")
    out = {
        "region": region,
        "status": None,
        "reasons": [],
        "region_role": role,
        "required_resource_types": required,
        "missing_resource_types": [],
        "recorder": recorder_view(rec, state.get("recorder_status")),
        "service_linked_recorders": list(state.get("service_linked_recorders") or []),
        "delivery_channel": recording.channel_view(state.get("delivery_channel")),
        "delivery_status": state.get("delivery_channel_status"),
        "security_hub": {
            "enabled": sh.get("enabled"),
            "home_region": home,
            "enabled_controls": controls or [],
            "controls_source": "option" if options.get("controls") is not None else "security_hub",
            "unknown_controls": unknown,
            "role_check": role_check,
        },
        "finding": finding_view(state.get("finding")),
        "warnings": [],
    }
    # Unknown controls can only come from the controls option; the module warns about them once
    # (base.check_common) and they are listed in security_hub.unknown_controls.
    errors = state.get("errors") or []
    if errors:
        out["status"] = c.NOT_AVAILABLE
        out["reasons"] = [not_available(e) for e in errors]
        return _finish(out)
    if sh_problem:
        out["status"] = c.NOT_AVAILABLE
        out["reasons"] = [sh_problem]
        return _finish(out)
    if sh_recorder(state):
        # Security Hub's own service-linked recorder: Config.1 is always PASSED (config1.md §1.3).
        out["status"] = c.PASSED
        out["warnings"].append(
            "%s is present: Security Hub records what it needs itself." % c.SECURITY_HUB_RECORDER_NAME
        )
        return _finish(out)
    view = out["recorder"]
    if rec:
        out["missing_resource_types"] = recording.missing_types(rec.get("recordingGroup"), required)
    reasons = []
    if not view or not view["recording"]:
        reasons.append(reason(c.RECORDER_DISABLED))
    else:
        if out["missing_resource_types"]:
            reasons.append(reason(c.MISSING_TYPES, types=", ".join(out["missing_resource_types"])))
        if role_check and not view["uses_service_linked_role"]:
            reasons.append(reason(c.CUSTOM_ROLE))
    if role != "linked" and region in c.IAM_GLOBAL_UNRECORDABLE_REGIONS and set(required) & set(c.IAM_GLOBAL_TYPES):
        out["warnings"].append(
            "AWS Config cannot record IAM global types in %s, yet enabled controls need them here "
            "(%s Region). Link this Region to a finding aggregator, or disable the IAM controls here." % (region, role)
        )
    out["reasons"] = reasons
    out["status"] = c.FAILED if reasons else c.PASSED
    return _finish(out)


def _finish(out):
    finding = out["finding"]
    if finding and finding["compliance_status"] in (c.PASSED, c.FAILED) and out["status"] in (c.PASSED, c.FAILED):
        out["finding"]["agrees"] = finding["compliance_status"] == out["status"] and sorted(
            r["code"] for r in finding["reasons"]
        ) == sorted(r["code"] for r in out["reasons"])
    elif finding:
        out["finding"]["agrees"] = None
    return out


def summarize(regions):
    summary = {"passed": 0, "failed": 0, "not_available": 0}
    for result in regions.values():
        key = {c.PASSED: "passed", c.FAILED: "failed"}.get(result.get("status"), "not_available")
        summary[key] += 1
    return summary


def account_facts(account, results, states, clients_created=None):
    """ansible_facts.config1 for one account."""
    calls = {"account": account.get("calls", 0), "regions": {r: (states.get(r) or {}).get("calls", 0) for r in results}}
    calls["total"] = calls["account"] + sum(calls["regions"].values())
    if clients_created is not None:
        calls["clients_created"] = clients_created
    return {
        "account_id": account["account_id"],
        "partition": account["partition"],
        "caller_arn": account.get("caller_arn"),
        "service_linked_role": account["service_linked_role"],
        "aggregator": account.get("aggregator"),
        "regions": results,
        "summary": summarize(results),
        "warnings": list(account.get("warnings") or [])
        + ["%s: %s" % (r, w) for r in results for w in results[r].get("warnings", [])],
        "api_calls": calls,
    }


def evaluate_all(account, states, options):
    results = {}
    for region, state in states.items():
        if state.get("exception") is not None:
            exc = state["exception"]
            error = {"code": c.NA_API_ERROR, "aws_code": type(exc).__name__, "message": str(exc), "operation": "gather"}
            state = {"region": region, "errors": [error]}
        state.setdefault("warnings", [])
        res = evaluate_region(state, account, options)
        res["warnings"] = list(state.get("warnings") or []) + res["warnings"]
        results[region] = res
    return results
