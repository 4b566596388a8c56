"""The AWS emulator used by the tests: moto's server plus the harness extensions.

    emu = Emulator().start()
    env = emu.env()                 # for ansible-playbook subprocesses
    s = emu.session("210987654321", "eu-west-1")
    ...
    emu.stop()

``python -m tests.harness.emulator --port N`` runs it in the foreground (first line of
output: the endpoint) until SIGTERM/SIGINT.

Extra HTTP routes (for out-of-process users):
  GET  /_harness/calls            call log as JSON (query: account, region, service, mutating)
  POST /_harness/reset_calls      clear the call log
  POST /_harness/reset            reset(): moto state, harness state, call log, faults
  POST /_harness/faults           JSON body = inject_fault() keyword arguments
  POST /_harness/clear_faults
  POST /_harness/delivery_status  JSON {account, region, status, error_code, message, channel}
  POST /_harness/securityhub_v2   JSON {account, region, enabled}
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import re
import signal
import sys
import threading
import urllib.request
import uuid
from typing import Any, Iterable
from urllib.parse import parse_qs

import boto3
from botocore.config import Config as BotoConfig

from . import extensions

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
CROSS_ACCOUNT_ROLE = "OrganizationAccountAccessRole"

Call = collections.namedtuple("Call", "service operation account region mutating")

_READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Select", "Lookup", "Head")
_READ_EXTRA = {("sts", "AssumeRole"), ("sts", "GetCallerIdentity")}
# SigV4 signing name -> botocore service name, where they differ.
_SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "email": "ses", "states": "stepfunctions", "execute-api": "apigateway"}
_QUERY_SERVICES = {
    "iam", "sts", "ec2", "cloudwatch", "sns", "sqs", "autoscaling", "elasticloadbalancing", "rds", "cloudformation",
    "elasticache", "redshift", "ses",
}
_CRED_RE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


def is_mutating(service: str, operation: str) -> bool:
    if (service, operation) in _READ_EXTRA:
        return False
    return not operation.startswith(_READ_PREFIXES)


# --------------------------------------------------------------------------------------------
class _Recorder:
    """Thread-safe call log and fault list shared by the middleware and the Emulator."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.faults: list[dict[str, Any]] = []

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def select(self, account=None, region=None, service=None, mutating=None) -> list[Call]:
        with self.lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if (account is None or c.account == account)
            and (region is None or c.region == region)
            and (service is None or c.service == service)
            and (mutating is None or c.mutating == mutating)
        ]

    def match_fault(self, call: Call) -> dict[str, Any] | None:
        with self.lock:
            for fault in self.faults:
                if fault["remaining"] is not None and fault["remaining"] <= 0:
                    continue
                if fault["service"] not in (None, "*", call.service):
                    continue
                if fault["operation"] not in (None, "*", call.operation):
                    continue
                if fault["account"] not in (None, call.account):
                    continue
                if fault["region"] not in (None, call.region):
                    continue
                if fault["remaining"] is not None:
                    fault["remaining"] -= 1
                return dict(fault)
        return None


def _cbor_text(s: str) -> bytes:
    data = s.encode("utf-8")
    n = len(data)
    if n < 24:
        head = bytes([0x60 | n])
    elif n < 256:
        head = bytes([0x78, n])
    elif n < 65536:
        head = bytes([0x79]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x7A]) + n.to_bytes(4, "big")
    return head + data


def _cbor_map(d: dict[str, str]) -> bytes:
    return bytes([0xA0 | len(d)]) + b"".join(_cbor_text(k) + _cbor_text(v) for k, v in d.items())


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_response(protocol: str, code: str, message: str, status: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """An AWS-style error body for the request's protocol."""
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    if protocol in ("json", "rest-json"):
        headers += [
            ("Content-Type", "application/x-amz-json-1.1" if protocol == "json" else "application/json"),
            ("x-amzn-ErrorType", code),
        ]
        body = json.dumps({"__type": code, "message": message}).encode()
    elif protocol == "cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        body = _cbor_map({"__type": code, "message": message})
    elif protocol == "ec2":
        headers += [("Content-Type", "text/xml")]
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{_xml_escape(code)}</Code>'
            f"<Message>{_xml_escape(message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
    elif protocol == "rest-xml":
        headers += [("Content-Type", "application/xml")]
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{_xml_escape(code)}</Code>'
            f"<Message>{_xml_escape(message)}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
    else:  # query
        headers += [("Content-Type", "text/xml")]
        body = (
            f"<ErrorResponse><Error><Type>{'Sender' if status < 500 else 'Receiver'}</Type>"
            f"<Code>{_xml_escape(code)}</Code><Message>{_xml_escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body


_STATUS_TEXT = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class HarnessMiddleware:
    """WSGI middleware in front of moto's DomainDispatcherApplication: /_harness routes,
    the call log and fault injection."""

    def __init__(self, app: Any, recorder: _Recorder, emulator: "Emulator | None" = None) -> None:
        self.app = app
        self.recorder = recorder
        self.emulator = emulator

    # -- classification -------------------------------------------------------------------
    @staticmethod
    def _read_body(environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def classify(self, environ: dict[str, Any]) -> tuple[Call, str] | None:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = _CRED_RE.search(auth)
        if not m:
            return None
        access_key, region, signing = m.group(1), m.group(2), m.group(3)
        service = _SIGNING_TO_SERVICE.get(signing, signing)
        account = self._account(environ, access_key)
        body = self._read_body(environ)
        target = environ.get("HTTP_X_AMZ_TARGET")
        content_type = environ.get("CONTENT_TYPE", "")
        path = environ.get("PATH_INFO", "")
        operation = None
        if environ.get("HTTP_SMITHY_PROTOCOL", "").startswith("rpc-v2-cbor"):
            protocol = "cbor"
            operation = path.rstrip("/").rsplit("/", 1)[-1]
        elif target:
            protocol = "json"
            operation = target.rsplit(".", 1)[-1]
        else:
            action = None
            qs = parse_qs(environ.get("QUERY_STRING", ""))
            if "Action" in qs:
                action = qs["Action"][0]
            elif content_type.startswith("application/x-www-form-urlencoded") and body:
                form = parse_qs(body.decode("utf-8", "replace"))
                if "Action" in form:
                    action = form["Action"][0]
            if action:
                protocol = "ec2" if service == "ec2" else "query"
                operation = action
            else:
                protocol = self._model_protocol(service)
                operation = self._rest_operation(service, environ)
        return Call(service, operation or "Unknown", account, region, is_mutating(service, operation or "Unknown")), protocol

    @staticmethod
    def _account(environ: dict[str, Any], access_key: str) -> str:
        if "MOTO_ACCOUNT_ID" in os.environ:
            return os.environ["MOTO_ACCOUNT_ID"]
        if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
            return environ["HTTP_X_MOTO_ACCOUNT_ID"]
        from moto.iam.models import get_account_id_from

        return get_account_id_from(access_key)

    @staticmethod
    def _model_protocol(service: str) -> str:
        try:
            from .shapes import service_model

            proto = service_model(service).protocol
        except Exception:
            return "query" if service in _QUERY_SERVICES else "rest-json"
        return {"rest-json": "rest-json", "rest-xml": "rest-xml", "json": "json", "ec2": "ec2"}.get(proto, "query")

    @staticmethod
    def _rest_operation(service: str, environ: dict[str, Any]) -> str | None:
        try:
            from moto.core.request import Request
            from moto.core.routing import get_service_router

            req = Request(dict(environ))
            operation, _ignored = get_service_router(service).match(req)
            return operation.name
        except Exception:
            return None

    # -- WSGI -----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_harness/"):
            return self._harness(environ, start_response, path[len("/_harness/"):])
        if path.startswith("/moto-api"):
            if path.rstrip("/") == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
                extensions.reset_state()
            return self.app(environ, start_response)
        classified = None
        try:
            classified = self.classify(environ)
        except Exception as exc:  # never let the log break a request
            print(f"harness: could not classify request: {exc!r}", file=sys.stderr)
        if classified:
            call, protocol = classified
            self.recorder.add(call)
            fault = self.recorder.match_fault(call)
            if fault:
                status, headers, body = error_response(protocol, fault["code"], fault["message"], fault["status"])
                start_response(f"{status} {_STATUS_TEXT.get(status, 'Error')}", headers)
                return [body]
        return self.app(environ, start_response)

    def _harness(self, environ: dict[str, Any], start_response: Any, route: str) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            body = self._read_body(environ)
            data = json.loads(body) if body else {}
            result: Any = {"ok": True}
            if route == "calls" and method == "GET":
                qs = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
                if "mutating" in qs:
                    qs["mutating"] = qs["mutating"].lower() in ("1", "true", "yes")
                result = [c._asdict() for c in self.recorder.select(**qs)]
            elif route == "reset_calls" and method == "POST":
                with self.recorder.lock:
                    self.recorder.calls.clear()
            elif route == "reset" and method == "POST" and self.emulator is not None:
                self.emulator.reset()
            elif route == "faults" and method == "POST" and self.emulator is not None:
                self.emulator.inject_fault(**data)
            elif route == "clear_faults" and method == "POST":
                with self.recorder.lock:
                    self.recorder.faults.clear()
            elif route == "delivery_status" and method == "POST":
                from .extensions.config import set_delivery_status

                set_delivery_status(**data)
            elif route == "securityhub_v2" and method == "POST":
                from .extensions.securityhub import set_security_hub_v2

                result = set_security_hub_v2(**data) or {}
            else:
                status, payload = "404 Not Found", {"error": f"unknown harness route {method} {route}"}
                out = json.dumps(payload).encode()
                start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
                return [out]
            out = json.dumps(result).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
            return [out]
        except Exception as exc:
            out = json.dumps({"error": repr(exc)}).encode()
            start_response("400 Bad Request", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
            return [out]


# --------------------------------------------------------------------------------------------
class EmulatorSession(boto3.session.Session):
    """A boto3 Session whose clients and resources default to the emulator's endpoint."""

    def __init__(self, *args: Any, endpoint_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.endpoint_url = endpoint_url

    def client(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return super().client(*args, **kwargs)

    def resource(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return super().resource(*args, **kwargs)


def _make_server_class():
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    class QuietRequestHandler(MotoRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:  # no access log on stderr
            pass

    class HarnessMotoServer(ThreadedMotoServer):
        """ThreadedMotoServer whose WSGI app is wrapped in the harness middleware."""

        def __init__(self, *args: Any, middleware_factory: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._middleware_factory = middleware_factory

        def _server_entry(self) -> None:
            app = self._middleware_factory(DomainDispatcherApplication(create_backend_app))
            handler = MotoRequestHandler if self._verbose else QuietRequestHandler
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=handler)
            self._server_ready_event.set()
            self._server.serve_forever()

    return HarnessMotoServer


class Emulator:
    """moto 5.2.5 server on 127.0.0.1 (free port) with the harness extensions applied.

    moto keeps its state in module globals, so run one Emulator per process.
    """

    def __init__(self, port: int = 0, verbose: bool = False) -> None:
        self.endpoint: str = ""
        self._port = port
        self._verbose = verbose
        self._server: Any = None
        self._recorder = _Recorder()
        self._sessions: dict[tuple[str, str], EmulatorSession] = {}
        self._creds: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        extensions.apply()
        server_cls = _make_server_class()
        self._server = server_cls(
            ip_address="127.0.0.1",
            port=self._port,
            verbose=self._verbose,
            middleware_factory=lambda app: HarnessMiddleware(app, self._recorder, self),
        )
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in list(env):
            if key.startswith("AWS_ENDPOINT_URL_") or key in (
                "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                "AWS_URL", "EC2_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_ROLE_ARN",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "MOTO_ACCOUNT_ID",
            ):
                del env[key]
        env.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": DEFAULT_REGION,
                "AWS_REGION": DEFAULT_REGION,
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        return env

    def reset(self) -> None:
        req = urllib.request.Request(self.endpoint + "/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()
        extensions.reset_state()
        from moto.securityhub.models import SecurityHubBackend

        SecurityHubBackend._org_configs.clear()
        with self._lock:
            self._sessions.clear()
            self._creds.clear()
        self.reset_calls()
        self.clear_faults()

    # -- call log ---------------------------------------------------------------------------
    def calls(self, account=None, region=None, service=None, mutating=None) -> list[Call]:
        return self._recorder.select(account=account, region=region, service=service, mutating=mutating)

    def reset_calls(self) -> None:
        with self._recorder.lock:
            self._recorder.calls.clear()

    # -- faults -----------------------------------------------------------------------------
    def inject_fault(
        self,
        service: str | None,
        operation: str | None = None,
        account: str | None = None,
        region: str | None = None,
        code: str = "AccessDeniedException",
        message: str = "User is not authorized to perform this operation",
        status: int = 400,
        times: int | None = None,
    ) -> None:
        """Matching requests get an AWS-style error for their protocol.  ``service`` is the
        botocore service name (None or "*" = any service: e.g. an opt-in Region that is
        disabled); ``times=None`` means forever, else the first N matches."""
        with self._recorder.lock:
            self._recorder.faults.append(
                {
                    "service": service,
                    "operation": operation,
                    "account": account,
                    "region": region,
                    "code": code,
                    "message": message,
                    "status": int(status),
                    "remaining": times,
                }
            )

    def clear_faults(self) -> None:
        with self._recorder.lock:
            self._recorder.faults.clear()

    # -- sessions ---------------------------------------------------------------------------
    def _base_session(self, region: str) -> EmulatorSession:
        return EmulatorSession(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name=region,
            endpoint_url=self.endpoint,
        )

    def session(self, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> boto3.session.Session:
        """Session with credentials valid for ``account_id`` (other accounts: sts AssumeRole
        into OrganizationAccountAccessRole, which moto honours cross-account)."""
        key = (account_id, region)
        with self._lock:
            if key in self._sessions:
                return self._sessions[key]
        if account_id == DEFAULT_ACCOUNT:
            sess = self._base_session(region)
        else:
            with self._lock:
                creds = self._creds.get(account_id)
            if creds is None:
                sts = self._base_session(DEFAULT_REGION).client("sts", config=BotoConfig(retries={"max_attempts": 1}))
                resp = sts.assume_role(
                    RoleArn=f"arn:aws:iam::{account_id}:role/{CROSS_ACCOUNT_ROLE}",
                    RoleSessionName="harness",
                )["Credentials"]
                creds = {
                    "aws_access_key_id": resp["AccessKeyId"],
                    "aws_secret_access_key": resp["SecretAccessKey"],
                    "aws_session_token": resp["SessionToken"],
                }
                with self._lock:
                    self._creds[account_id] = creds
            sess = EmulatorSession(region_name=region, endpoint_url=self.endpoint, **creds)
        with self._lock:
            self._sessions[key] = sess
        return sess

    def credentials(self, account_id: str = DEFAULT_ACCOUNT) -> dict[str, str]:
        """AWS_* environment variables with credentials for ``account_id``."""
        creds = self.session(account_id).get_credentials().get_frozen_credentials()
        out = {"AWS_ACCESS_KEY_ID": creds.access_key, "AWS_SECRET_ACCESS_KEY": creds.secret_key}
        if creds.token:
            out["AWS_SESSION_TOKEN"] = creds.token
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the secops.config1 AWS emulator in the foreground.")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    emu = Emulator(port=args.port).start()
    print(emu.endpoint, flush=True)
    stop = threading.Event()

    def _handler(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    while not stop.is_set():
        stop.wait(0.5)
    emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
