# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module base: the AnsibleAWSModule subclass, shared options, input checks, clients, fan-out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading
from concurrent.futures import ThreadPoolExecutor

try:
    import boto3
    import botocore.config
    import botocore.session
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.botocore import enable_placebo, get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry, RetryingBotoClientWrapper
from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import gather
from ansible_collections.secops.config1.plugins.module_utils.control_table import CONTROLS

COLLECTION_NAME = "secops.config1"
COLLECTION_VERSION = "1.0.0"

# Shared options: the DOCUMENTATION of every module repeats them (validate-modules needs each
# module to document its own spec), the spec itself is written once here.
COMMON_ARGS = dict(
    regions=dict(type="list", elements="str"),
    controls=dict(type="list", elements="str"),
    home_region=dict(type="str"),
    retries=dict(type="int", default=8),
    concurrency=dict(type="int", default=8),
    expected_account_id=dict(type="str"),
)


class Config1Module(AnsibleAWSModule):
    """AnsibleAWSModule that names this collection in the boto user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)


def known_regions():
    session = botocore.session.get_session()
    found = set()
    for partition in session.get_available_partitions():
        for service in ("config", "securityhub"):
            found.update(session.get_available_regions(service, partition_name=partition))
    return found


def check_common(module):
    """Validate the shared options before any AWS call; return the normalised options."""
    p = module.params
    regions = p.get("regions") or ([module.region] if module.region else [])
    if not regions:
        module.fail_json(msg="No Region given: set the regions option (or region / AWS_REGION).")
    regions = list(dict.fromkeys(r.strip() for r in regions))
    known = known_regions()
    bad = [r for r in regions if r not in known]
    if p.get("home_region") and p["home_region"] not in known:
        bad.append(p["home_region"])
    if bad:
        module.fail_json(
            msg="Unknown Region(s): %s. Use Region codes such as us-east-1 or eu-west-1 "
            "(botocore %s knows %d Regions; upgrade botocore for newer ones)."
            % (", ".join(bad), botocore.__version__, len(known))
        )
    controls = p.get("controls")
    if controls is not None:
        malformed = [x for x in controls if not c.CONTROL_ID_RE.match(x or "")]
        if malformed:
            module.fail_json(
                msg="Malformed control ID(s) in controls: %s. A Security Hub control ID looks like "
                "'S3.1' or 'Config.1' (service, dot, number)." % ", ".join(repr(x) for x in malformed)
            )
        unknown = [x for x in controls if x not in CONTROLS and x != c.CONFIG1_CONTROL_ID]
        if unknown:
            module.warn(
                "Control(s) not in the shipped table, counted as needing no recording: %s "
                "(AWS adds controls often; update data/control_resource_types.json)." % ", ".join(unknown)
            )
    if p.get("retries") is not None and p["retries"] < 0:
        module.fail_json(msg="retries must be 0 or more.")
    if p.get("expected_account_id") and not re.match(r"^[0-9]{12}$", p["expected_account_id"]):
        module.fail_json(msg="expected_account_id: %r is not a 12-digit AWS account ID." % p["expected_account_id"])
    if p.get("concurrency") is not None and p["concurrency"] < 1:
        module.fail_json(msg="concurrency must be 1 or more.")
    return {
        "regions": regions,
        "controls": controls,
        "home_region": p.get("home_region"),
        "retries": p.get("retries", 8),
        "concurrency": p.get("concurrency", 8),
        "expected_account_id": p.get("expected_account_id"),
    }


class Clients:
    """One boto3 session per module run and one client per (service, Region), built once.

    A new session per Region would parse the service models again each time; clients are
    thread-safe once built, so the Region threads share them.
    """

    def __init__(self, module, regions, retries=8):
        _region, self.endpoint, params = get_aws_connection_info(module)
        profile = params.pop("profile_name", None)
        user_config = params.pop("aws_config", None)
        config = botocore.config.Config(
            user_agent_extra="%s/%s" % (COLLECTION_NAME, COLLECTION_VERSION),
            retries={"mode": "standard", "max_attempts": 2},
            max_pool_connections=20,
        )
        if user_config is not None:
            config = config.merge(user_config)
        self.config = config
        self.params = params
        self.session = boto3.session.Session(profile_name=profile)
        enable_placebo(self.session)
        self.default_region = regions[0]
        self.decorator = AWSRetry.jittered_backoff(retries=retries, delay=1, max_delay=20)
        self._lock = threading.Lock()
        self._cache = {}
        self.created = 0

    def get(self, service, region=None):
        key = (service, region or self.default_region)
        with self._lock:
            if key not in self._cache:
                client = self.session.client(
                    service, region_name=key[1], endpoint_url=self.endpoint, config=self.config, **self.params
                )
                self._cache[key] = RetryingBotoClientWrapper(client, self.decorator)
                self.created += 1
            return self._cache[key]

    def prepare(self, services, regions):
        for region in regions:
            for service in services:
                self.get(service, region)


def fan_out(regions, func, concurrency):
    """Run func(region) for every Region in a thread pool; {region: result}. One Region's
    exception never hides the others: it is returned as {"exception": ...} for that Region."""
    results = {}

    def run(region):
        try:
            return func(region)
        except Exception as e:  # pylint: disable=broad-except
            return {"region": region, "exception": e}

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(regions)))) as pool:
        for region, result in zip(regions, pool.map(run, regions)):
            results[region] = result
    return results


def account_or_fail(module, clients, opts):
    try:
        account = gather.gather_account(clients, opts["regions"], opts.get("home_region"), opts.get("expected_account_id"))
    except gather.AWS_ERRORS as e:
        module.fail_json_aws(e, msg="Could not identify the account (sts:GetCallerIdentity) - check the credentials")
    expected = opts.get("expected_account_id")
    if expected and account["account_id"] != expected:
        module.fail_json(msg="The credentials reach account %s (%s), not the expected account %s; nothing was "
                         "read or changed there. Check the role to assume or the profile." % (account["account_id"], account["caller_arn"], expected))
    return account


def check_caller(module, clients, expected):
    """Only sts:GetCallerIdentity: fail unless the credentials reach the expected account."""
    if not expected:
        return
    try:
        ident = clients.get("sts").get_caller_identity(aws_retry=True)
    except gather.AWS_ERRORS as e:
        module.fail_json_aws(e, msg="Could not identify the account (sts:GetCallerIdentity) - check the credentials")
    if ident["Account"] != expected:
        module.fail_json(msg="The credentials reach account %s (%s), not the expected account %s; nothing was read "
                         "or changed there. Check the role to assume or the profile." % (ident["Account"], ident["Arn"], expected))
