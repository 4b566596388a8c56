"""Check a response dict against botocore's output shape for an operation.

``validate_output(service_name, operation_name, data)`` returns a list of human readable
errors (empty when the data matches).  The service model is the one shipped with the
installed botocore, so the emulator can never answer with keys or types that botocore
(and therefore the product) would not see from real AWS.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

__all__ = ["validate_output", "service_model", "operation_model", "ENUM_EXTENSIONS"]

# (service, shape name) -> extra values accepted for that enum.  botocore's enums lag the
# services (e.g. config's ResourceType misses types AWS Config records); an extension may
# register values it knows are real.
ENUM_EXTENSIONS: dict[tuple[str, str], frozenset] = {}

_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


@functools.lru_cache(maxsize=None)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=None)
def service_model(service_name: str):
    return _session().get_service_model(service_name)


@functools.lru_cache(maxsize=None)
def operation_model(service_name: str, operation_name: str):
    return service_model(service_name).operation_model(operation_name)


def validate_output(service_name: str, operation_name: str, data: Any) -> list[str]:
    """Validate ``data`` (a parsed JSON response body) against the operation's output shape.

    Rules: every key must be a member of the structure (recursively through structures,
    lists and maps); values must have the member's type (string, boolean, integer/long,
    float/double, timestamp, blob, list, map, structure); strings must be one of the enum
    values where the model lists an enum; required members must be present; ``None``
    values are rejected (AWS omits absent members instead of sending null).
    """
    op = operation_model(service_name, operation_name)
    shape = op.output_shape
    errors: list[str] = []
    if shape is None:
        if data not in (None, {}, ""):
            errors.append(f"{operation_name}: operation has no output, got {data!r:.200}")
        return errors
    _check(shape, data, operation_name, errors, service_name)
    return errors


def _check(shape: Shape, value: Any, path: str, errors: list[str], service: str = "") -> None:
    if value is None:
        errors.append(f"{path}: null value (AWS omits absent members)")
        return
    t = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected structure {shape.name}, got {type(value).__name__}")
            return
        members = shape.members
        for key, sub in value.items():
            if key not in members:
                errors.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            _check(members[key], sub, f"{path}.{key}", errors, service)
        for req in shape.required_members:
            if req not in value:
                errors.append(f"{path}.{req}: required member of {shape.name} missing")
        return
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            errors.append(f"{path}: expected list {shape.name}, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}[{i}]", errors, service)
        return
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected map {shape.name}, got {type(value).__name__}")
            return
        for key, sub in value.items():
            _check(shape.key, key, f"{path}{{key {key!r}}}", errors, service)
            _check(shape.value, sub, f"{path}[{key!r}]", errors, service)
        return
    if t == "string":
        if not isinstance(value, str):
            errors.append(f"{path}: expected string, got {type(value).__name__} {value!r:.80}")
            return
        enum = getattr(shape, "enum", None) or []
        if enum and value not in enum and value not in ENUM_EXTENSIONS.get((service, shape.name), ()):
            shown = ", ".join(enum[:8]) + (", ..." if len(enum) > 8 else "")
            errors.append(f"{path}: {value!r} not in enum {shape.name} [{shown}]")
        return
    if t == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected boolean, got {type(value).__name__} {value!r:.80}")
        return
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: expected {t}, got {type(value).__name__} {value!r:.80}")
        return
    if t in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: expected {t}, got {type(value).__name__} {value!r:.80}")
        return
    if t == "timestamp":
        if isinstance(value, bool):
            errors.append(f"{path}: expected timestamp, got bool")
        elif isinstance(value, (int, float, datetime.datetime)):
            return
        elif isinstance(value, str):
            if not _ISO_RE.match(value):
                errors.append(f"{path}: timestamp string {value!r} is not ISO 8601")
        else:
            errors.append(f"{path}: expected timestamp, got {type(value).__name__}")
        return
    if t == "blob":
        if not isinstance(value, (str, bytes)):
            errors.append(f"{path}: expected blob, got {type(value).__name__}")
        return
    errors.append(f"{path}: unsupported shape type {t}")
