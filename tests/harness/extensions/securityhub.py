"""Security Hub CSPM (rest-json) additions on top of moto 5.2.5.

Patched onto ``moto.securityhub.responses.SecurityHubResponse`` plus one catch-all route in
``moto.securityhub.urls`` so every Security Hub path reaches moto's dispatcher, which names
the operation from botocore's model (method + requestUri).

Adds: a controls catalog and two standards (FSBP 1.0.0 = whole catalog, CIS 5.0.0 = a
subset), GetEnabledStandards, BatchEnable/DisableStandards, DescribeStandardsControls,
UpdateStandardsControl, ListSecurityControlDefinitions, GetSecurityControlDefinition,
BatchGetSecurityControls, UpdateSecurityControl, ListStandardsControlAssociations,
BatchGet/BatchUpdateStandardsControlAssociations, finding aggregators, Security Hub v2
(Enable/Disable/Describe), GetFindings filters (and aggregation of linked Regions), and
InvalidAccessException (401) for calls in a Region where Security Hub is not enabled.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote

from moto.securityhub import urls as sh_urls
from moto.securityhub.models import securityhub_backends
from moto.securityhub.responses import SecurityHubResponse

from . import catalog
from .catalog import CONFIG1_PARAM, FSBP
from .common import STATE, json_error, validated

SERVICE = "securityhub"
_STATUS = {
    "InvalidAccessException": 401,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "LimitExceededException": 429,
    "ResourceConflictException": 409,
}
AGGREGATOR_MODES = ("ALL_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS", "NO_REGIONS")
_REASON_RE = re.compile(r"^[\w\- ]*$")


def _err(code: str, message: str) -> Exception:
    return json_error(code, message, _STATUS.get(code, 400))


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _p(self: SecurityHubResponse) -> dict[str, Any]:
    """Request parameters by member name: JSON body, query string, URI labels."""
    params: dict[str, Any] = {}
    if self.method in ("POST", "PATCH", "PUT") and self.body:
        body = self.body.decode() if isinstance(self.body, bytes) else self.body
        try:
            params.update(json.loads(body))
        except ValueError:
            raise _err("InvalidInputException", "Request body is not valid JSON")
    for key, values in parse_qs(self.parsed_url.query, keep_blank_values=True).items():
        params[key] = values if key in ("Providers",) else values[0]
    for key, value in (self.uri_match or {}).items():
        params[key] = unquote(value)
    return params


def _max_results(params: dict[str, Any], default: int = 25, maximum: int = 100) -> int:
    value = params.get("MaxResults")
    if value in (None, ""):
        return default
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise _err("InvalidInputException", "MaxResults must be an integer")
    if not 1 <= value <= maximum:
        raise _err("InvalidInputException", f"MaxResults must be a number between 1 and {maximum}")
    return value


def _page(items: list, params: dict[str, Any], key: str, default: int = 25, maximum: int = 100) -> dict[str, Any]:
    size = _max_results(params, default, maximum)
    start = 0
    token = params.get("NextToken")
    if token:
        try:
            start = int(token)
        except ValueError:
            raise _err("InvalidInputException", "The NextToken provided is not valid")
    out: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        out["NextToken"] = str(start + size)
    return out


# --- per-Region hub data ------------------------------------------------------------------
def _hub(account: str, region: str) -> dict[str, Any]:
    return STATE.sh.setdefault(
        (account, region),
        {"standards": {}, "assoc": {}, "params": {}, "reasons": {}, "updating": {}},
    )


def hub_enabled(account: str, region: str) -> bool:
    return bool(securityhub_backends[account][region].enabled)


def _require_hub(self: SecurityHubResponse) -> dict[str, Any]:
    acct, region = self.current_account, self.region
    if not hub_enabled(acct, region):
        raise _err("InvalidAccessException", f"Account {acct} is not subscribed to AWS Security Hub")
    return _hub(acct, region)


def _subscription(region: str, account: str, std: str, status: str = "READY") -> dict[str, Any]:
    return {
        "StandardsSubscriptionArn": catalog.subscription_arn(region, account, std),
        "StandardsArn": catalog.standards_arn(region, std),
        "StandardsInput": {},
        "StandardsStatus": status,
        "StandardsControlsUpdatable": "READY_FOR_UPDATES",
    }


def _assoc_status(hub: dict[str, Any], std: str, cid: str) -> dict[str, Any]:
    return hub["assoc"].get((std, cid)) or {"status": "ENABLED", "at": None, "reason": None}


def control_enabled(hub: dict[str, Any], cid: str) -> bool:
    """ENABLED iff enabled in at least one subscribed standard."""
    return any(
        cid in catalog.standard_controls(std) and _assoc_status(hub, std, cid)["status"] == "ENABLED"
        for std in hub["standards"]
    )


def _resolve_control_id(value: str) -> str:
    """Security control ID from an ID or a security-control ARN."""
    if value.startswith("arn:") and ":security-control/" in value:
        return value.split(":security-control/", 1)[1]
    return value


def _definition(cid: str) -> dict[str, Any]:
    d: dict[str, Any] = {
        "SecurityControlId": cid,
        "Title": catalog.title(cid),
        "Description": catalog.title(cid),
        "RemediationUrl": catalog.remediation_url(cid),
        "SeverityRating": catalog.severity(cid),
        "CurrentRegionAvailability": "AVAILABLE",
    }
    if cid == "Config.1":
        d["CustomizableProperties"] = ["Parameters"]
        d["ParameterDefinitions"] = {
            CONFIG1_PARAM: {
                "Description": "Whether the control checks that AWS Config uses the service-linked role "
                "AWSServiceRoleForConfig",
                "ConfigurationOptions": {"Boolean": {"DefaultValue": True}},
            }
        }
    return d


def _default_params(cid: str) -> dict[str, Any]:
    if cid == "Config.1":
        return {CONFIG1_PARAM: {"ValueType": "DEFAULT", "Value": {"Boolean": True}}}
    return {}


# --- guarded moto operations ----------------------------------------------------------------
_orig = {
    name: getattr(SecurityHubResponse, name)
    for name in ("enable_security_hub", "disable_security_hub", "describe_hub", "batch_import_findings")
}


def enable_security_hub(self: SecurityHubResponse) -> Any:
    acct, region = self.current_account, self.region
    if hub_enabled(acct, region):
        raise _err("ResourceConflictException", f"Account {acct} is already subscribed to Security Hub")
    params = _p(self)
    result = _orig["enable_security_hub"](self)
    with STATE.lock:
        STATE.sh.pop((acct, region), None)
        hub = _hub(acct, region)
        if params.get("EnableDefaultStandards", True):
            hub["standards"][FSBP] = {"at": _now()}
    return result


def disable_security_hub(self: SecurityHubResponse) -> Any:
    _require_hub(self)
    result = _orig["disable_security_hub"](self)
    with STATE.lock:
        # "If you disable Security Hub CSPM, your custom control parameters are reset."
        STATE.sh.pop((self.current_account, self.region), None)
    return result


@validated(SERVICE, "DescribeHub")
def describe_hub(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    data = securityhub_backends[self.current_account][self.region].describe_hub(hub_arn=params.get("HubArn"))
    data.pop("Tags", None)  # moto adds Tags; DescribeHub's output shape has no such member
    return data


def batch_import_findings(self: SecurityHubResponse) -> Any:
    _require_hub(self)
    return _orig["batch_import_findings"](self)


# --- GetFindings with filters -------------------------------------------------------------
def _get(finding: dict[str, Any], path: str) -> list[Any]:
    """Values at a dotted path; ``[]`` in a segment walks a list."""
    values: list[Any] = [finding]
    for seg in path.split("."):
        nxt: list[Any] = []
        for v in values:
            if seg.endswith("[]"):
                for item in (v or {}).get(seg[:-2], []) if isinstance(v, dict) else []:
                    nxt.append(item)
            elif isinstance(v, dict) and seg in v:
                nxt.append(v[seg])
        values = nxt
    return [v for v in values if v is not None]


FILTER_PATHS = {
    "AwsAccountId": "AwsAccountId",
    "Region": "Region",
    "Id": "Id",
    "ProductArn": "ProductArn",
    "GeneratorId": "GeneratorId",
    "Title": "Title",
    "RecordState": "RecordState",
    "ComplianceStatus": "Compliance.Status",
    "ComplianceSecurityControlId": "Compliance.SecurityControlId",
    "ComplianceAssociatedStandardsId": "Compliance.AssociatedStandards[].StandardsId",
    "WorkflowStatus": "Workflow.Status",
    "SeverityLabel": "Severity.Label",
    "ResourceType": "Resources[].Type",
    "ResourceId": "Resources[].Id",
}
_POSITIVE = ("EQUALS", "PREFIX", "CONTAINS", "CONTAINS_WORD")
_NEGATIVE = ("NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS")


def _cmp(comparison: str, actual: str, wanted: str) -> bool:
    if comparison in ("EQUALS", "NOT_EQUALS"):
        return actual == wanted
    if comparison in ("PREFIX", "PREFIX_NOT_EQUALS"):
        return actual.startswith(wanted)
    if comparison in ("CONTAINS", "NOT_CONTAINS"):
        return wanted in actual
    if comparison == "CONTAINS_WORD":
        return wanted in actual.split()
    raise _err("InvalidInputException", f"Invalid comparison {comparison}")


def _matches(finding: dict[str, Any], filters: dict[str, Any]) -> bool:
    for name, conditions in (filters or {}).items():
        if not conditions:
            continue
        if name not in FILTER_PATHS:
            # Loud: the emulator must not silently ignore a filter the product relies on.
            raise json_error("NotImplemented", f"emulator: GetFindings filter {name} is not supported", 501)
        values = [str(v) for v in _get(finding, FILTER_PATHS[name])]
        positives = [c for c in conditions if c.get("Comparison", "EQUALS") in _POSITIVE]
        negatives = [c for c in conditions if c.get("Comparison") in _NEGATIVE]
        for c in conditions:
            if c.get("Comparison", "EQUALS") not in _POSITIVE + _NEGATIVE:
                raise _err("InvalidInputException", f"Invalid comparison {c.get('Comparison')}")
        # Same attribute: positive conditions are OR-ed, negative ones AND-ed.
        if positives and not any(_cmp(c.get("Comparison", "EQUALS"), v, c["Value"]) for c in positives for v in values):
            return False
        for c in negatives:
            if any(_cmp(c["Comparison"], v, c["Value"]) for v in values):
                return False
    return True


def _linked_regions(account: str, region: str) -> list[str]:
    """Regions whose findings GetFindings in ``region`` returns (aggregation home Region)."""
    agg = STATE.aggregators.get(account)
    regions = [region]
    if not agg or agg["FindingAggregationRegion"] != region:
        return regions
    mode = agg["RegionLinkingMode"]
    listed = agg.get("Regions", [])
    known = [r for (a, r) in list(STATE.sh.keys()) if a == account]
    if mode == "SPECIFIED_REGIONS":
        regions += listed
    elif mode == "ALL_REGIONS":
        regions += known
    elif mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
        regions += [r for r in known if r not in listed]
    seen: list[str] = []
    for r in regions:
        if r not in seen:
            seen.append(r)
    return seen


@validated(SERVICE, "GetFindings")
def get_findings(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    acct = self.current_account
    findings: list[dict[str, Any]] = []
    for region in _linked_regions(acct, self.region):
        backend = securityhub_backends[acct][region]
        for f in backend.findings:
            data = dict(f.as_dict())
            data.setdefault("Region", region)
            findings.append(data)
    filters = params.get("Filters") or {}
    selected = [f for f in findings if _matches(f, filters)]
    return _page(selected, params, "Findings", default=100, maximum=100)


# --- standards --------------------------------------------------------------------------------
@validated(SERVICE, "GetEnabledStandards")
def get_enabled_standards(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    subs = [_subscription(region, acct, std) for std in catalog.STANDARDS if std in hub["standards"]]
    wanted = params.get("StandardsSubscriptionArns")
    if wanted:
        subs = [s for s in subs if s["StandardsSubscriptionArn"] in wanted]
    return _page(subs, params, "StandardsSubscriptions", default=100, maximum=100)


@validated(SERVICE, "DescribeStandards")
def describe_standards(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    items = [
        {
            "StandardsArn": catalog.standards_arn(self.region, std),
            "Name": catalog.STANDARD_NAMES[std][0],
            "Description": catalog.STANDARD_NAMES[std][0] + " (emulator)",
            "EnabledByDefault": catalog.STANDARD_NAMES[std][1],
            "StandardsManagedBy": {"Company": "AWS", "Product": "Security Hub"},
        }
        for std in catalog.STANDARDS
    ]
    return _page(items, params, "Standards", default=25, maximum=100)


@validated(SERVICE, "BatchEnableStandards")
def batch_enable_standards(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    requests = params.get("StandardsSubscriptionRequests") or []
    if not 1 <= len(requests) <= 25:
        raise _err("InvalidInputException", "StandardsSubscriptionRequests must contain 1 to 25 items")
    out = []
    for req in requests:
        arn = req.get("StandardsArn", "")
        std = catalog.standard_from_arn(arn)
        if std is None or arn != catalog.standards_arn(region, std):
            raise _err("InvalidInputException", f"The standard {arn} is not valid or not available in {region}")
    with STATE.lock:
        for req in requests:
            std = catalog.standard_from_arn(req["StandardsArn"])
            new = std not in hub["standards"]
            hub["standards"].setdefault(std, {"at": _now()})
            out.append(_subscription(region, acct, std, "PENDING" if new else "READY"))
    return {"StandardsSubscriptions": out}


@validated(SERVICE, "BatchDisableStandards")
def batch_disable_standards(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    arns = params.get("StandardsSubscriptionArns") or []
    if not 1 <= len(arns) <= 25:
        raise _err("InvalidInputException", "StandardsSubscriptionArns must contain 1 to 25 items")
    out = []
    with STATE.lock:
        for arn in arns:
            std = catalog.standard_from_arn(arn)
            if std is None or arn != catalog.subscription_arn(region, acct, std) or std not in hub["standards"]:
                raise _err("InvalidInputException", f"The subscription {arn} does not exist")
        for arn in arns:
            std = catalog.standard_from_arn(arn)
            del hub["standards"][std]
            for key in [k for k in hub["assoc"] if k[0] == std]:
                del hub["assoc"][key]
            out.append(_subscription(region, acct, std, "DELETING"))
    return {"StandardsSubscriptions": out}


def _standards_control_arn(region: str, account: str, std: str, cid: str) -> str:
    return f"arn:aws:securityhub:{region}:{account}:control/{std}/{cid}"


@validated(SERVICE, "DescribeStandardsControls")
def describe_standards_controls(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    arn = params.get("StandardsSubscriptionArn", "")
    std = catalog.standard_from_arn(arn)
    if std is None or arn != catalog.subscription_arn(region, acct, std) or std not in hub["standards"]:
        raise _err("InvalidInputException", f"The subscription {arn} does not exist")
    controls = []
    for cid in catalog.standard_controls(std):
        st = _assoc_status(hub, std, cid)
        item = {
            "StandardsControlArn": _standards_control_arn(region, acct, std, cid),
            "ControlStatus": st["status"],
            "ControlStatusUpdatedAt": st["at"] or hub["standards"][std]["at"],
            "ControlId": cid,
            "Title": catalog.title(cid),
            "Description": catalog.title(cid),
            "RemediationUrl": catalog.remediation_url(cid),
            "SeverityRating": catalog.severity(cid),
            "RelatedRequirements": catalog.related_requirements(std, cid),
        }
        if st["status"] == "DISABLED" and st["reason"]:
            item["DisabledReason"] = st["reason"]
        controls.append(item)
    return _page(controls, params, "Controls", default=25, maximum=100)


@validated(SERVICE, "UpdateStandardsControl")
def update_standards_control(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    arn = params.get("StandardsControlArn", "")
    m = re.match(r"^arn:aws:securityhub:([^:]+):(\d{12}):control/(.+)/([^/]+)$", arn)
    std = m.group(3) if m else None
    if not m or std not in catalog.STANDARDS or m.group(4) not in catalog.standard_controls(std):
        raise _err("ResourceNotFoundException", f"Control {arn} not found")
    _set_assoc(hub, std, m.group(4), params.get("ControlStatus"), params.get("DisabledReason"))
    return {}


def _set_assoc(hub: dict[str, Any], std: str, cid: str, status: str | None, reason: str | None) -> None:
    if status not in ("ENABLED", "DISABLED"):
        raise _err("InvalidInputException", f"Invalid status {status}")
    if status == "DISABLED" and not reason:
        raise _err("InvalidInputException", "A reason is required to disable a control")
    with STATE.lock:
        hub["assoc"][(std, cid)] = {"status": status, "at": _now(), "reason": reason}


# --- security controls ----------------------------------------------------------------------
@validated(SERVICE, "ListSecurityControlDefinitions")
def list_security_control_definitions(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    ids: tuple[str, ...] = catalog.catalog()
    if params.get("StandardsArn"):
        std = catalog.standard_from_arn(params["StandardsArn"])
        if std is None:
            raise _err("InvalidInputException", f"Invalid StandardsArn {params['StandardsArn']}")
        ids = catalog.standard_controls(std)
    return _page([_definition(c) for c in ids], params, "SecurityControlDefinitions", default=25, maximum=100)


@validated(SERVICE, "GetSecurityControlDefinition")
def get_security_control_definition(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    cid = _p(self).get("SecurityControlId", "")
    if cid not in catalog.catalog():
        raise _err("ResourceNotFoundException", f"Security control {cid} not found")
    return {"SecurityControlDefinition": _definition(cid)}


@validated(SERVICE, "BatchGetSecurityControls")
def batch_get_security_controls(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    ids = params.get("SecurityControlIds") or []
    if not ids:
        raise _err("InvalidInputException", "SecurityControlIds must not be empty")
    controls, unprocessed = [], []
    with STATE.lock:
        for raw in ids:
            cid = _resolve_control_id(raw)
            if cid not in catalog.catalog():
                unprocessed.append(
                    {"SecurityControlId": raw, "ErrorCode": "NOT_FOUND", "ErrorReason": f"Security control {raw} not found"}
                )
                continue
            left = hub["updating"].get(cid, 0)
            if left > 0:
                hub["updating"][cid] = left - 1
            item = {
                "SecurityControlId": cid,
                "SecurityControlArn": catalog.security_control_arn(region, acct, cid),
                "Title": catalog.title(cid),
                "Description": catalog.title(cid),
                "RemediationUrl": catalog.remediation_url(cid),
                "SeverityRating": catalog.severity(cid),
                "SecurityControlStatus": "ENABLED" if control_enabled(hub, cid) else "DISABLED",
                "UpdateStatus": "UPDATING" if left > 0 else "READY",
                "Parameters": json.loads(json.dumps(hub["params"].get(cid) or _default_params(cid))),
            }
            if hub["reasons"].get(cid):
                item["LastUpdateReason"] = hub["reasons"][cid]
            controls.append(item)
    out: dict[str, Any] = {"SecurityControls": controls}
    if unprocessed:
        out["UnprocessedIds"] = unprocessed
    return out


@validated(SERVICE, "UpdateSecurityControl")
def update_security_control(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    cid = _resolve_control_id(params.get("SecurityControlId", ""))
    if cid not in catalog.catalog():
        raise _err("ResourceNotFoundException", f"Security control {cid} not found")
    reason = params.get("LastUpdateReason")
    if reason is not None and not _REASON_RE.match(reason):
        raise _err("InvalidInputException", "LastUpdateReason can contain only alphanumeric characters, spaces, dashes and underscores")
    new_params = params.get("Parameters") or {}
    allowed = _default_params(cid)
    merged = json.loads(json.dumps(hub["params"].get(cid) or allowed))
    for name, conf in new_params.items():
        if name not in allowed:
            raise _err("InvalidInputException", f"Parameter {name} is not valid for control {cid}")
        vtype = (conf or {}).get("ValueType")
        if vtype == "DEFAULT":
            merged[name] = json.loads(json.dumps(allowed[name]))
        elif vtype == "CUSTOM":
            value = conf.get("Value") or {}
            if not isinstance(value.get("Boolean"), bool) or len(value) != 1:
                raise _err("InvalidInputException", f"Parameter {name} of {cid} needs a Boolean value")
            merged[name] = {"ValueType": "CUSTOM", "Value": {"Boolean": value["Boolean"]}}
        else:
            raise _err("InvalidInputException", f"Invalid ValueType {vtype}")
    with STATE.lock:
        if hub["updating"].get(cid, 0) > 0:
            raise _err(
                "ResourceInUseException",
                f"The security control {cid} is currently being updated (UPDATING). Try again later.",
            )
        hub["params"][cid] = merged
        if reason is not None:
            hub["reasons"][cid] = reason
        # UPDATING for exactly the next BatchGetSecurityControls read, then READY.
        hub["updating"][cid] = 1
    return {}


# --- standards/control associations -------------------------------------------------------
def _association(hub, region, acct, std, cid, detail=False) -> dict[str, Any]:
    st = _assoc_status(hub, std, cid)
    item = {
        "StandardsArn": catalog.standards_arn(region, std),
        "SecurityControlId": cid,
        "SecurityControlArn": catalog.security_control_arn(region, acct, cid),
        "AssociationStatus": st["status"],
        "RelatedRequirements": catalog.related_requirements(std, cid),
        "UpdatedAt": st["at"] or hub["standards"][std]["at"],
        "StandardsControlTitle": catalog.title(cid),
        "StandardsControlDescription": catalog.title(cid),
    }
    if st["reason"]:
        item["UpdatedReason"] = st["reason"]
    if detail:
        item["StandardsControlArns"] = [_standards_control_arn(region, acct, std, cid)]
    return item


@validated(SERVICE, "ListStandardsControlAssociations")
def list_standards_control_associations(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    cid = _resolve_control_id(params.get("SecurityControlId") or "")
    if not cid:
        raise _err("InvalidInputException", "SecurityControlId is required")
    # Lists the control's associations with the *enabled* standards (UNCONFIRMED whether AWS
    # also lists standards that are not enabled).
    items = [
        _association(hub, region, acct, std, cid)
        for std in catalog.STANDARDS
        if std in hub["standards"] and cid in catalog.standard_controls(std)
    ]
    return _page(items, params, "StandardsControlAssociationSummaries", default=25, maximum=100)


@validated(SERVICE, "BatchGetStandardsControlAssociations")
def batch_get_standards_control_associations(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    details, unprocessed = [], []
    for ident in params.get("StandardsControlAssociationIds") or []:
        cid = _resolve_control_id(ident.get("SecurityControlId", ""))
        std = catalog.standard_from_arn(ident.get("StandardsArn", ""))
        if std is None or cid not in catalog.standard_controls(std) or std not in hub["standards"]:
            unprocessed.append(
                {"StandardsControlAssociationId": ident, "ErrorCode": "NOT_FOUND", "ErrorReason": "Association not found"}
            )
            continue
        details.append(_association(hub, region, acct, std, cid, detail=True))
    out: dict[str, Any] = {"StandardsControlAssociationDetails": details}
    if unprocessed:
        out["UnprocessedAssociations"] = unprocessed
    return out


@validated(SERVICE, "BatchUpdateStandardsControlAssociations")
def batch_update_standards_control_associations(self: SecurityHubResponse) -> dict[str, Any]:
    hub = _require_hub(self)
    params = _p(self)
    unprocessed = []
    for upd in params.get("StandardsControlAssociationUpdates") or []:
        cid = _resolve_control_id(upd.get("SecurityControlId", ""))
        std = catalog.standard_from_arn(upd.get("StandardsArn", ""))
        status = upd.get("AssociationStatus")
        code = reason = None
        if std is None or cid not in catalog.standard_controls(std):
            code, reason = "NOT_FOUND", "The control is not part of the standard"
        elif std not in hub["standards"]:
            code, reason = "INVALID_INPUT", "The standard is not enabled"
        elif status not in ("ENABLED", "DISABLED"):
            code, reason = "INVALID_INPUT", f"Invalid AssociationStatus {status}"
        elif status == "DISABLED" and not upd.get("UpdatedReason"):
            code, reason = "INVALID_INPUT", "UpdatedReason is required to disable a control"
        if code:
            unprocessed.append({"StandardsControlAssociationUpdate": upd, "ErrorCode": code, "ErrorReason": reason})
            continue
        _set_assoc(hub, std, cid, status, upd.get("UpdatedReason"))
    return {"UnprocessedAssociationUpdates": unprocessed}


# --- finding aggregators (one per account, visible from every Region) ----------------------
def _check_linking(mode: str | None, regions: list[str] | None) -> None:
    if mode not in AGGREGATOR_MODES:
        raise _err("InvalidInputException", f"Invalid RegionLinkingMode {mode}")
    if mode in ("SPECIFIED_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED") and not regions:
        raise _err("InvalidInputException", f"Regions is required when RegionLinkingMode is {mode}")
    if mode in ("ALL_REGIONS", "NO_REGIONS") and regions:
        raise _err("InvalidInputException", f"Regions must be empty when RegionLinkingMode is {mode}")


def _aggregator_view(agg: dict[str, Any]) -> dict[str, Any]:
    out = {k: agg[k] for k in ("FindingAggregatorArn", "FindingAggregationRegion", "RegionLinkingMode")}
    if agg.get("Regions"):
        out["Regions"] = list(agg["Regions"])
    return out


@validated(SERVICE, "CreateFindingAggregator")
def create_finding_aggregator(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    acct, region = self.current_account, self.region
    mode, regions = params.get("RegionLinkingMode"), params.get("Regions") or []
    _check_linking(mode, regions)
    with STATE.lock:
        if acct in STATE.aggregators:
            raise _err("LimitExceededException", "A finding aggregator already exists for this account")
        agg = {
            "FindingAggregatorArn": f"arn:aws:securityhub:{region}:{acct}:finding-aggregator/{uuid.uuid4()}",
            "FindingAggregationRegion": region,
            "RegionLinkingMode": mode,
            "Regions": [r for r in regions if r != region],
        }
        STATE.aggregators[acct] = agg
    return _aggregator_view(agg)


def _find_aggregator(self: SecurityHubResponse, arn: str) -> dict[str, Any]:
    agg = STATE.aggregators.get(self.current_account)
    if not agg or agg["FindingAggregatorArn"] != arn:
        raise _err("ResourceNotFoundException", f"Finding aggregator {arn} not found")
    return agg


def _require_home(self: SecurityHubResponse, agg: dict[str, Any]) -> None:
    if agg["FindingAggregationRegion"] != self.region:
        raise _err(
            "InvalidInputException",
            f"This operation must be called from the aggregation Region {agg['FindingAggregationRegion']}",
        )


@validated(SERVICE, "ListFindingAggregators")
def list_finding_aggregators(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    agg = STATE.aggregators.get(self.current_account)
    items = [{"FindingAggregatorArn": agg["FindingAggregatorArn"]}] if agg else []
    return _page(items, _p(self), "FindingAggregators", default=100, maximum=100)


@validated(SERVICE, "GetFindingAggregator")
def get_finding_aggregator(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    return _aggregator_view(_find_aggregator(self, _p(self).get("FindingAggregatorArn", "")))


@validated(SERVICE, "UpdateFindingAggregator")
def update_finding_aggregator(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    params = _p(self)
    agg = _find_aggregator(self, params.get("FindingAggregatorArn", ""))
    _require_home(self, agg)
    mode, regions = params.get("RegionLinkingMode"), params.get("Regions") or []
    _check_linking(mode, regions)
    with STATE.lock:
        agg["RegionLinkingMode"] = mode
        agg["Regions"] = [r for r in regions if r != agg["FindingAggregationRegion"]]
    return _aggregator_view(agg)


@validated(SERVICE, "DeleteFindingAggregator")
def delete_finding_aggregator(self: SecurityHubResponse) -> dict[str, Any]:
    _require_hub(self)
    agg = _find_aggregator(self, _p(self).get("FindingAggregatorArn", ""))
    _require_home(self, agg)
    with STATE.lock:
        STATE.aggregators.pop(self.current_account, None)
    return {}


# --- Security Hub v2 ------------------------------------------------------------------------
def set_security_hub_v2(account: str, region: str, enabled: bool = True) -> dict[str, Any] | None:
    with STATE.lock:
        if not enabled:
            STATE.sh_v2.pop((account, region), None)
            return None
        return STATE.sh_v2.setdefault(
            (account, region),
            {"HubV2Arn": f"arn:aws:securityhub:{region}:{account}:hubv2/{uuid.uuid4()}", "SubscribedAt": _now()},
        )


@validated(SERVICE, "DescribeSecurityHubV2")
def describe_security_hub_v2(self: SecurityHubResponse) -> dict[str, Any]:
    hub = STATE.sh_v2.get((self.current_account, self.region))
    if not hub:
        raise _err("ResourceNotFoundException", "Security Hub is not enabled in this account and Region")
    return dict(hub)


@validated(SERVICE, "EnableSecurityHubV2")
def enable_security_hub_v2(self: SecurityHubResponse) -> dict[str, Any]:
    hub = set_security_hub_v2(self.current_account, self.region, True)
    return {"HubV2Arn": hub["HubV2Arn"]}  # type: ignore[index]


@validated(SERVICE, "DisableSecurityHubV2")
def disable_security_hub_v2(self: SecurityHubResponse) -> dict[str, Any]:
    if (self.current_account, self.region) not in STATE.sh_v2:
        raise _err("ResourceNotFoundException", "Security Hub is not enabled in this account and Region")
    set_security_hub_v2(self.current_account, self.region, False)
    return {}


_APPLIED = False


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    # One catch-all route: moto's dispatcher names the operation from botocore's model.
    sh_urls.url_paths.setdefault("{0}/(?P<harness_path>.+)$", SecurityHubResponse.dispatch)
    for fn in (
        enable_security_hub,
        disable_security_hub,
        describe_hub,
        batch_import_findings,
        get_findings,
        get_enabled_standards,
        describe_standards,
        batch_enable_standards,
        batch_disable_standards,
        describe_standards_controls,
        update_standards_control,
        list_security_control_definitions,
        get_security_control_definition,
        batch_get_security_controls,
        update_security_control,
        list_standards_control_associations,
        batch_get_standards_control_associations,
        batch_update_standards_control_associations,
        create_finding_aggregator,
        list_finding_aggregators,
        get_finding_aggregator,
        update_finding_aggregator,
        delete_finding_aggregator,
        describe_security_hub_v2,
        enable_security_hub_v2,
        disable_security_hub_v2,
    ):
        setattr(SecurityHubResponse, fn.__name__, fn)
    _APPLIED = True
