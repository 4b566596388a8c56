"""AWS Config (json 1.1, StarlingDoveService.*) fixes and additions on top of moto 5.2.5.

Patched onto ``moto.config.responses.ConfigResponse`` (so requests go through moto's
normal dispatch) and ``moto.config.models``:

* Put/DescribeConfigurationRecorders keep ``recordingMode`` (validated), return ``arn``
  and ``recordingScope: PAID``; Describe* accept ``ServicePrincipal`` / ``Arn``.
* ListConfigurationRecorders, Put/DeleteServiceLinkedConfigurationRecorder.
* DescribeDeliveryChannelStatus (with a seed hook for failures).
* StartConfigurationRecorder reports ``lastStatus: Success`` (botocore's enum casing).
* Resource types of every control in control_table.CONTROLS are valid.
"""

from __future__ import annotations

import json
import string
import time
from typing import Any

from moto.config import models as config_models
from moto.config.models import ConfigBackend, ConfigRecorderStatus, config_backends
from moto.config.responses import ConfigResponse
from moto.moto_api._internal import mock_random as random

from . import catalog
from .common import STATE, json_error, validated

SERVICE = "config"
CONFIG_SLR_NAME = "AWSServiceRoleForConfig"
CONFIG_PRINCIPAL = "config.amazonaws.com"
SLR_PREFIX = "AWSConfigurationRecorderFor"
# Service principal -> recorder name.  securityhub is documented
# (AWSConfigurationRecorderForSecurityHubCSPM); the CloudWatch ones are UNCONFIRMED guesses.
SERVICE_LINKED_NAMES = {
    "securityhub.amazonaws.com": SLR_PREFIX + "SecurityHubCSPM",
    "observabilityadmin.amazonaws.com": SLR_PREFIX + "ObservabilityAdmin",
    "telemetry-enablement.observabilityadmin.amazonaws.com": SLR_PREFIX + "TelemetryEnablement",
}
# Types AWS refuses to record daily (RecordingModeOverride.resourceTypes documentation).
NO_DAILY_TYPES = (
    "AWS::Config::ResourceCompliance",
    "AWS::Config::ConformancePackCompliance",
    "AWS::Config::ConfigurationRecorder",
)
DEFAULT_RECORDING_MODE = {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}


def _err(code: str, message: str) -> Exception:
    return json_error(code, message, 400)


def _random_id() -> str:
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ignored in range(16))


def recorder_arn(account: str, region: str, name: str) -> str:
    return f"arn:aws:config:{region}:{account}:configuration-recorder/{name}/{_random_id()}"


def config_slr_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:role/aws-service-role/{CONFIG_PRINCIPAL}/{CONFIG_SLR_NAME}"


def _params(self: ConfigResponse) -> dict[str, Any]:
    return json.loads(self.body) if self.body else {}


def _backend(self: ConfigResponse) -> ConfigBackend:
    return config_backends[self.current_account][self.region]


def _slrs(account: str, region: str) -> dict[str, dict[str, Any]]:
    return STATE.service_linked.setdefault((account, region), {})


def _find_slr(account: str, region: str, *, name=None, arn=None, principal=None):
    for rec in _slrs(account, region).values():
        if (name and rec["name"] == name) or (arn and rec["arn"] == arn) or (
            principal and rec["servicePrincipal"] == principal
        ):
            return rec
    return None


def _valid_types() -> set[str]:
    shape = config_models.get_service_model("config").shape_for("ResourceType")
    return set(getattr(shape, "enum", []) or []) | set(catalog.control_resource_types())


# --- resource type validation: moto's list plus every type in control_table --------------
_orig_validate_resource_types = ConfigBackend._validate_resource_types


def _validate_resource_types(self: ConfigBackend, resource_list: list[str]) -> None:
    extra = catalog.control_resource_types()
    rest = [r for r in resource_list if r not in extra]
    if rest:
        _orig_validate_resource_types(self, rest)


# --- StartConfigurationRecorder: lastStatus Success instead of PENDING forever ------------
def _status_start(self: ConfigRecorderStatus) -> None:
    now = config_models.datetime2int(config_models.utcnow())
    self.recording = True
    # botocore's RecorderStatus enum is Pending|Success|Failure|NotApplicable; the harness
    # uses the model's casing (live AWS has been seen answering "SUCCESS": compare
    # case-insensitively in product code).
    self.last_status = "Success"
    self.last_error_code = None
    self.last_error_message = None
    self.last_start_time = now
    self.last_status_change_time = now


# --- recordingMode validation -------------------------------------------------------------
def _validate_recording_mode(mode: Any) -> dict[str, Any]:
    # AWS documents these as ValidationException ("missing required fields or the input
    # value fails the validation"); InvalidRecordingGroupException is for recordingGroup.
    if not isinstance(mode, dict):
        raise _err("ValidationException", "recordingMode must be a structure")
    freq = mode.get("recordingFrequency")
    if freq is None:
        raise _err(
            "ValidationException",
            "1 validation error detected: Value null at 'configurationRecorder.recordingMode.recordingFrequency' "
            "failed to satisfy constraint: Member must not be null",
        )
    if freq not in ("CONTINUOUS", "DAILY"):
        raise _err(
            "ValidationException",
            f"1 validation error detected: Value '{freq}' at 'configurationRecorder.recordingMode.recordingFrequency' "
            "failed to satisfy constraint: Member must satisfy enum value set: [CONTINUOUS, DAILY]",
        )
    overrides = mode.get("recordingModeOverrides") or []
    if len(overrides) > 1:
        raise _err(
            "ValidationException",
            "1 validation error detected: Value at 'configurationRecorder.recordingMode.recordingModeOverrides' "
            "failed to satisfy constraint: Member must have length less than or equal to 1",
        )
    valid = _valid_types()
    clean = []
    for ov in overrides:
        ofreq = ov.get("recordingFrequency")
        if ofreq not in ("CONTINUOUS", "DAILY"):
            raise _err(
                "ValidationException",
                f"Value '{ofreq}' at 'recordingModeOverrides.recordingFrequency' failed to satisfy constraint: "
                "Member must satisfy enum value set: [CONTINUOUS, DAILY]",
            )
        types = ov.get("resourceTypes") or []
        if not types:
            raise _err("ValidationException", "recordingModeOverrides.resourceTypes must not be empty")
        bad = [t for t in types if t not in valid]
        if bad:
            raise _err("ValidationException", f"The resource types {bad} are not valid.")
        if ofreq == "DAILY":
            banned = [t for t in types if t in NO_DAILY_TYPES]
            if banned:
                raise _err(
                    "ValidationException",
                    f"Daily recording is not supported for the following resource types: {', '.join(banned)}",
                )
        item = {"resourceTypes": list(types), "recordingFrequency": ofreq}
        if ov.get("description"):
            item["description"] = ov["description"]
        clean.append(item)
    return {"recordingFrequency": freq, "recordingModeOverrides": clean}


# --- response methods -----------------------------------------------------------------------
_orig_put_recorder = ConfigResponse.put_configuration_recorder
_orig_start = ConfigResponse.start_configuration_recorder
_orig_stop = ConfigResponse.stop_configuration_recorder
_orig_delete_recorder = ConfigResponse.delete_configuration_recorder
_orig_delete_channel = ConfigResponse.delete_delivery_channel


def _unmodifiable(name: str) -> Exception:
    return _err(
        "UnmodifiableEntityException",
        f"The configuration recorder {name} is a service-linked configuration recorder and cannot be "
        "modified with this operation. Service-linked configuration recorders are always recording.",
    )


def put_configuration_recorder(self: ConfigResponse) -> Any:
    params = _params(self)
    rec = params.get("ConfigurationRecorder") or {}
    name = rec.get("name")
    acct, region = self.current_account, self.region
    if name and (name.startswith(SLR_PREFIX) or _find_slr(acct, region, name=name)):
        raise _unmodifiable(name)
    if rec.get("servicePrincipal"):
        raise _err(
            "UnmodifiableEntityException",
            "Use PutServiceLinkedConfigurationRecorder to create a service-linked configuration recorder.",
        )
    if not rec.get("roleARN"):
        # moto raises KeyError (HTTP 500); AWS rejects the request.
        raise _err(
            "ValidationException",
            "1 validation error detected: Value null at 'configurationRecorder.roleARN' failed to satisfy "
            "constraint: Member must not be null",
        )
    mode = None
    if "recordingMode" in rec:
        mode = _validate_recording_mode(rec["recordingMode"])
    result = _orig_put_recorder(self)
    with STATE.lock:
        key = (acct, region, name)
        extra = STATE.recorder_extra.get(key)
        if extra is None:
            extra = STATE.recorder_extra[key] = {
                "arn": recorder_arn(acct, region, name),
                "recordingMode": dict(DEFAULT_RECORDING_MODE),
            }
        if mode is not None:
            extra["recordingMode"] = mode
        # else: keep the previous recordingMode.  UNCONFIRMED AWS behaviour: a put without
        # recordingMode is assumed to leave the stored mode unchanged (suggested by
        # aws-samples/aws-control-tower-config-customization PR 16, not by AWS docs).
    return result


def _customer_recorder_dict(account: str, region: str, rec_dict: dict[str, Any]) -> dict[str, Any]:
    name = rec_dict["name"]
    with STATE.lock:
        extra = STATE.recorder_extra.setdefault(
            (account, region, name),
            {"arn": recorder_arn(account, region, name), "recordingMode": dict(DEFAULT_RECORDING_MODE)},
        )
    out = {"arn": extra["arn"]}
    out.update({k: v for k, v in rec_dict.items() if k in ("name", "roleARN", "recordingGroup")})
    out["recordingMode"] = json.loads(json.dumps(extra["recordingMode"]))
    out["recordingScope"] = "PAID"
    return out


def _slr_recorder_dict(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": rec["arn"],
        "name": rec["name"],
        "roleARN": rec["roleARN"],
        "recordingGroup": {
            "allSupported": False,
            "includeGlobalResourceTypes": False,
            "resourceTypes": list(rec["resourceTypes"]),
            "exclusionByResourceTypes": {"resourceTypes": []},
            "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"},
        },
        "recordingMode": {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []},
        "recordingScope": "INTERNAL",
        "servicePrincipal": rec["servicePrincipal"],
    }


def _slr_status_dict(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        "arn": rec["arn"],
        "name": rec["name"],
        "lastStartTime": rec["createdAt"],
        "recording": True,
        "lastStatus": "Success",
        "lastStatusChangeTime": rec["createdAt"],
        "servicePrincipal": rec["servicePrincipal"],
    }


def _select(self: ConfigResponse, status: bool) -> list[dict[str, Any]]:
    params = _params(self)
    names = params.get("ConfigurationRecorderNames") or []
    principal = params.get("ServicePrincipal")
    arn = params.get("Arn")
    if sum(1 for x in (names, principal, arn) if x) > 1:
        raise _err("ValidationException", "Specify only one of ConfigurationRecorderNames, ServicePrincipal or Arn.")
    if len(names) > 1:
        raise _err("ValidationException", "You have specified more than one configuration recorder.")
    acct, region = self.current_account, self.region
    backend = _backend(self)
    if principal:
        rec = _find_slr(acct, region, principal=principal)
        if rec is None:
            if principal not in SERVICE_LINKED_NAMES:
                raise _err("ValidationException", f"The service principal {principal} is not valid.")
            raise _err(
                "NoSuchConfigurationRecorderException",
                f"Cannot find configuration recorder for service principal {principal}.",
            )
        return [_slr_status_dict(rec) if status else _slr_recorder_dict(rec)]
    if arn:
        rec = _find_slr(acct, region, arn=arn)
        if rec is not None:
            return [_slr_status_dict(rec) if status else _slr_recorder_dict(rec)]
        for name, recorder in backend.recorders.items():
            extra = STATE.recorder_extra.get((acct, region, name))
            if extra and extra["arn"] == arn:
                names = [name]
                break
        else:
            raise _err("NoSuchConfigurationRecorderException", f"Cannot find configuration recorder with the specified ARN {arn}.")
    out = []
    if status:
        for item in backend.describe_configuration_recorder_status(names):
            d = {"arn": _customer_recorder_dict(acct, region, {"name": item["name"]})["arn"]}
            d.update(item)
            out.append(d)
    else:
        for item in backend.describe_configuration_recorders(names):
            out.append(_customer_recorder_dict(acct, region, item))
    return out


@validated(SERVICE, "DescribeConfigurationRecorders")
def describe_configuration_recorders(self: ConfigResponse) -> dict[str, Any]:
    return {"ConfigurationRecorders": _select(self, status=False)}


@validated(SERVICE, "DescribeConfigurationRecorderStatus")
def describe_configuration_recorder_status(self: ConfigResponse) -> dict[str, Any]:
    return {"ConfigurationRecordersStatus": _select(self, status=True)}


@validated(SERVICE, "ListConfigurationRecorders")
def list_configuration_recorders(self: ConfigResponse) -> dict[str, Any]:
    params = _params(self)
    acct, region = self.current_account, self.region
    items = []
    for item in _backend(self).describe_configuration_recorders(None):
        full = _customer_recorder_dict(acct, region, item)
        items.append({"arn": full["arn"], "name": full["name"], "recordingScope": "PAID"})
    for rec in _slrs(acct, region).values():
        items.append(
            {
                "arn": rec["arn"],
                "name": rec["name"],
                "servicePrincipal": rec["servicePrincipal"],
                "recordingScope": "INTERNAL",
            }
        )
    for flt in params.get("Filters") or []:
        if flt.get("filterName") != "recordingScope":
            raise _err("ValidationException", f"Invalid filter name {flt.get('filterName')}")
        values = flt.get("filterValue") or []
        items = [i for i in items if i["recordingScope"] in values]
    max_results = params.get("MaxResults") or 20
    if not 0 <= int(max_results) <= 20:
        raise _err("ValidationException", "MaxResults must be between 0 and 20")
    start = 0
    if params.get("NextToken"):
        try:
            start = int(params["NextToken"])
        except ValueError:
            raise _err("ValidationException", "The nextToken provided is invalid")
    page = items[start : start + int(max_results)]
    out: dict[str, Any] = {"ConfigurationRecorderSummaries": page}
    if start + int(max_results) < len(items):
        out["NextToken"] = str(start + int(max_results))
    return out


def ensure_config_slr(account: str) -> str:
    """Create the IAM service-linked role for Config if missing; return its ARN."""
    from moto.iam.models import iam_backends

    iam = iam_backends[account]["aws"]
    for role in list(iam.roles.values()):
        if role.name == CONFIG_SLR_NAME:
            return role.arn
    return iam.create_service_linked_role(CONFIG_PRINCIPAL, "", "").arn


@validated(SERVICE, "PutServiceLinkedConfigurationRecorder")
def put_service_linked_configuration_recorder(self: ConfigResponse) -> dict[str, Any]:
    params = _params(self)
    principal = params.get("ServicePrincipal")
    name = SERVICE_LINKED_NAMES.get(principal or "")
    if not name:
        raise _err("ValidationException", f"The service principal {principal} is not valid.")
    acct, region = self.current_account, self.region
    with STATE.lock:
        if _find_slr(acct, region, principal=principal):
            raise _err(
                "ConflictException",
                f"A service-linked configuration recorder already exists for the service principal {principal}.",
            )
        role_arn = ensure_config_slr(acct)
        rec = {
            "arn": recorder_arn(acct, region, name),
            "name": name,
            "servicePrincipal": principal,
            "roleARN": role_arn,
            "resourceTypes": sorted(catalog.control_resource_types()),
            "createdAt": int(time.time()),
        }
        _slrs(acct, region)[principal] = rec
    return {"Arn": rec["arn"], "Name": rec["name"]}


@validated(SERVICE, "DeleteServiceLinkedConfigurationRecorder")
def delete_service_linked_configuration_recorder(self: ConfigResponse) -> dict[str, Any]:
    params = _params(self)
    principal, arn = params.get("ServicePrincipal"), params.get("Arn")
    if principal and arn:
        raise _err("ValidationException", "Only one of Arn or ServicePrincipal can be specified.")
    acct, region = self.current_account, self.region
    with STATE.lock:
        rec = _find_slr(acct, region, principal=principal, arn=arn)
        if rec is None:
            raise _err("NoSuchConfigurationRecorderException", "Cannot find the service-linked configuration recorder.")
        del _slrs(acct, region)[rec["servicePrincipal"]]
    return {"Arn": rec["arn"], "Name": rec["name"]}


def _guard_slr_name(self: ConfigResponse) -> None:
    name = _params(self).get("ConfigurationRecorderName")
    if name and (_find_slr(self.current_account, self.region, name=name) or name.startswith(SLR_PREFIX)):
        raise _unmodifiable(name)


def start_configuration_recorder(self: ConfigResponse) -> Any:
    _guard_slr_name(self)
    return _orig_start(self)


def stop_configuration_recorder(self: ConfigResponse) -> Any:
    _guard_slr_name(self)
    return _orig_stop(self)


def delete_configuration_recorder(self: ConfigResponse) -> Any:
    _guard_slr_name(self)
    result = _orig_delete_recorder(self)
    name = _params(self).get("ConfigurationRecorderName")
    with STATE.lock:
        STATE.recorder_extra.pop((self.current_account, self.region, name), None)
    return result


def delete_delivery_channel(self: ConfigResponse) -> Any:
    result = _orig_delete_channel(self)
    name = _params(self).get("DeliveryChannelName")
    with STATE.lock:
        STATE.delivery_status.pop((self.current_account, self.region, name), None)
    return result


def set_delivery_status(
    account: str,
    region: str,
    status: str = "Failure",
    error_code: str | None = "AccessDenied",
    message: str | None = "Access Denied",
    channel: str = "*",
    kinds: tuple[str, ...] = ("configHistoryDeliveryInfo", "configSnapshotDeliveryInfo"),
) -> None:
    """Seed hook: make DescribeDeliveryChannelStatus report ``status`` for a channel
    (``"*"``: every channel of that account and Region) in the given delivery kinds."""
    now = int(time.time())
    with STATE.lock:
        entry = STATE.delivery_status.setdefault((account, region, channel), {})
        for kind in kinds:
            info: dict[str, Any] = {"lastStatus": status}
            if status == "Failure":
                if error_code:
                    info["lastErrorCode"] = error_code
                if message:
                    info["lastErrorMessage"] = message
            if kind == "configStreamDeliveryInfo":
                info["lastStatusChangeTime"] = now
            else:
                info["lastAttemptTime"] = now
                if status == "Success":
                    info["lastSuccessfulTime"] = now
                info["nextDeliveryTime"] = now + 3600
            entry[kind] = info


@validated(SERVICE, "DescribeDeliveryChannelStatus")
def describe_delivery_channel_status(self: ConfigResponse) -> dict[str, Any]:
    params = _params(self)
    names = params.get("DeliveryChannelNames") or None
    acct, region = self.current_account, self.region
    channels = _backend(self).describe_delivery_channels(names)
    now = int(time.time())
    out = []
    for ch in channels:
        export = {
            "lastStatus": "Success",
            "lastAttemptTime": now - 600,
            "lastSuccessfulTime": now - 600,
            "nextDeliveryTime": now + 3000,
        }
        item = {
            "name": ch["name"],
            "configSnapshotDeliveryInfo": dict(export),
            "configHistoryDeliveryInfo": dict(export),
            "configStreamDeliveryInfo": {
                "lastStatus": "Success" if ch.get("snsTopicARN") else "Not_Applicable",
                "lastStatusChangeTime": now - 600,
            },
        }
        with STATE.lock:
            for key in ((acct, region, "*"), (acct, region, ch["name"])):
                for kind, info in STATE.delivery_status.get(key, {}).items():
                    item[kind] = dict(info)
        out.append(item)
    return {"DeliveryChannelsStatus": out}


_APPLIED = False


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    ConfigBackend._validate_resource_types = _validate_resource_types  # type: ignore[method-assign]
    from ..shapes import ENUM_EXTENSIONS

    ENUM_EXTENSIONS[("config", "ResourceType")] = frozenset(catalog.control_resource_types())
    ConfigRecorderStatus.start = _status_start  # type: ignore[method-assign]
    for fn in (
        put_configuration_recorder,
        describe_configuration_recorders,
        describe_configuration_recorder_status,
        list_configuration_recorders,
        put_service_linked_configuration_recorder,
        delete_service_linked_configuration_recorder,
        start_configuration_recorder,
        stop_configuration_recorder,
        delete_configuration_recorder,
        delete_delivery_channel,
        describe_delivery_channel_status,
    ):
        setattr(ConfigResponse, fn.__name__, fn)
    _APPLIED = True
