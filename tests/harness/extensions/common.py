"""Shared pieces of the moto extensions: harness state, errors, output validation."""

from __future__ import annotations

import functools
import json
import threading
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError

from ..shapes import validate_output


class HarnessState:
    """State the harness keeps next to moto's backends (moto's reset does not know it).

    Everything is keyed by account and, where AWS scopes it so, by Region.
    ``reset()`` wipes it; the emulator calls it on reset() and whenever
    POST /moto-api/reset passes through.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.RLock()):
            # config: (account, region, recorder name) -> {"arn", "recordingMode"}
            self.recorder_extra: dict[tuple[str, str, str], dict[str, Any]] = {}
            # config: (account, region) -> {principal: service-linked recorder dict}
            self.service_linked: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
            # config: (account, region, channel) -> {"configHistoryDeliveryInfo": {...}, ...}
            self.delivery_status: dict[tuple[str, str, str], dict[str, Any]] = {}
            # securityhub: (account, region) -> per-region hub data
            self.sh: dict[tuple[str, str], dict[str, Any]] = {}
            # securityhub: account -> finding aggregator dict (one per account)
            self.aggregators: dict[str, dict[str, Any]] = {}
            # securityhub v2: (account, region) -> {"HubV2Arn", "SubscribedAt"}
            self.sh_v2: dict[tuple[str, str], dict[str, Any]] = {}


STATE = HarnessState()


class HarnessShapeError(Exception):
    pass


def json_error(code: str, message: str, status: int = 400) -> JsonRESTError:
    err = JsonRESTError(code, message)
    err.code = status
    return err


def shape_mismatch_response(service: str, operation: str, errors: list[str]) -> tuple[str, dict]:
    body = json.dumps(
        {
            "__type": "HarnessShapeMismatch",
            "message": f"emulator answer for {service}.{operation} does not match botocore's output shape: "
            + "; ".join(errors),
        }
    )
    return body, {"status": 500, "x-amzn-ErrorType": "HarnessShapeMismatch", "Content-Type": "application/json"}


def validated(service: str, operation: str) -> Callable:
    """Decorate a moto response method returning a dict: validate, then serialise.

    A mismatch is answered with HTTP 500 and the list of errors, so tests fail loudly.
    Errors raised as moto exceptions pass through unchanged.
    """

    def deco(fn: Callable[..., dict]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(self: Any) -> Any:
            data = fn(self)
            if data is None:
                data = {}
            errors = validate_output(service, operation, data)
            if errors:
                return shape_mismatch_response(service, operation, errors)
            ctype = "application/x-amz-json-1.1" if service == "config" else "application/json"
            return json.dumps(data, default=_default), {"status": 200, "Content-Type": ctype}

        wrapper.__harness_operation__ = operation  # type: ignore[attr-defined]
        return wrapper

    return deco


def _default(o: Any) -> Any:
    import datetime

    if isinstance(o, datetime.datetime):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {o!r}")


def body_json(resp: Any) -> dict[str, Any]:
    body = resp.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not body:
        return {}
    return json.loads(body)
