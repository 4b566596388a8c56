# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The only reads. Every AWS call the collection makes to learn state is here.

Shapes returned (plain, JSON-safe dicts; AWS's own key names):

account = {account_id, partition, caller_arn,
           service_linked_role: {exists: bool|None, arn: str|None},
           aggregator: {arn, home_region, mode, regions} | None,
           warnings: [str]}

region state = {region,
                errors: [{code, aws_code, message, operation}],   # AWS Config unreadable
                recorder: ConfigurationRecorder | None,           # the customer-managed one
                recorder_status: ConfigurationRecorderStatus | None,
                service_linked_recorders: [ConfigurationRecorderSummary],
                delivery_channel: DeliveryChannel | None,
                delivery_channel_status: DeliveryChannelStatus | None,
                security_hub: {enabled, error, controls: {id: ENABLED|DISABLED} | None,
                               config1_parameters, config1_update_status},
                finding: AwsSecurityFinding | None,
                warnings: [str],
                calls: int}
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

    AWS_ERRORS = (BotoCoreError, ClientError)
except ImportError:  # handled by AnsibleAWSModule
    AWS_ERRORS = ()

from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils.control_table import CONTROLS


class Counter:
    """Counts the API calls one gather makes (reported as ``api_calls``)."""

    def __init__(self):
        self.calls = 0

    def __call__(self, client, method, **params):
        self.calls += 1
        return getattr(client, method)(aws_retry=True, **params)

    def pages(self, client, method, key, token_key="NextToken", **params):
        """All items under ``key`` of a paged operation, each page retried. ``token_key`` is
        NextToken, or Marker for IAM (whose pages also say IsTruncated)."""
        items, token = [], None
        while True:
            page = self(client, method, **dict(params, **{token_key: token}) if token else params)
            items.extend(page.get(key, []))
            token = page.get(token_key)
            if token_key == "Marker" and not page.get("IsTruncated"):
                token = None
            if not token:
                return items

    def security_controls(self, client, ids):
        """(SecurityControls, UnprocessedIds) of BatchGetSecurityControls over ids, in batches."""
        controls, unprocessed = [], []
        for start in range(0, len(ids), c.SECURITY_CONTROLS_BATCH):
            page = self(client, "batch_get_security_controls", SecurityControlIds=ids[start:start + c.SECURITY_CONTROLS_BATCH])
            controls.extend(page.get("SecurityControls", []))
            unprocessed.extend(page.get("UnprocessedIds", []))
        return controls, unprocessed


def error_info(exc, operation):
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "")
        return {"code": c.classify_error(code), "aws_code": code, "message": err.get("Message") or str(exc), "operation": operation}
    if isinstance(exc, EndpointConnectionError):
        return {"code": c.NA_ENDPOINT_UNREACHABLE, "aws_code": "EndpointConnectionError", "message": str(exc), "operation": operation}
    return {"code": c.NA_API_ERROR, "aws_code": type(exc).__name__, "message": str(exc), "operation": operation}


def _partition(arn):
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 1 and parts[1] else "aws"


def gather_account(clients, regions, home_region=None, expected_account_id=None):
    """Once per account: identity, the Config service-linked role, the finding aggregator.
    Stops after the identity when it is not the expected account (the caller then fails)."""
    call = Counter()
    account = {"warnings": []}
    ident = call(clients.get("sts"), "get_caller_identity")
    account["account_id"] = ident["Account"]
    account["caller_arn"] = ident["Arn"]
    account["partition"] = _partition(ident["Arn"])
    if expected_account_id and account["account_id"] != expected_account_id:
        account["calls"] = call.calls
        return account
    account["service_linked_role"] = find_service_linked_role(clients, call, account)
    account["aggregator"] = None
    if not home_region:
        account["aggregator"] = find_aggregator(clients, call, regions, account)
    account["calls"] = call.calls
    return account


def find_service_linked_role(clients, call, account):
    try:
        roles = call.pages(clients.get("iam"), "list_roles", "Roles", token_key="Marker", PathPrefix=c.SLR_PATH, MaxItems=1000)
    except AWS_ERRORS as e:
        info = error_info(e, "iam:ListRoles")
        account["warnings"].append("Could not look up %s (%s); assuming it is unknown." % (c.SLR_NAME, info["aws_code"]))
        return {"exists": None, "arn": None}
    for role in roles:
        # Match by path, not by name: the name's case has varied (AwsServiceRoleForConfig).
        if role.get("Path") == c.SLR_PATH:
            return {"exists": True, "arn": role["Arn"]}
    return {"exists": False, "arn": None}


def find_aggregator(clients, call, regions, account):
    last = None
    for region in regions:
        try:
            page = call(clients.get("securityhub", region), "list_finding_aggregators")
        except AWS_ERRORS as e:
            last = error_info(e, "securityhub:ListFindingAggregators")
            continue
        aggs = page.get("FindingAggregators") or []
        if not aggs:
            return None
        arn = aggs[0]["FindingAggregatorArn"]
        home = arn.split(":")[3] or region
        try:
            detail = call(clients.get("securityhub", home), "get_finding_aggregator", FindingAggregatorArn=arn)
        except AWS_ERRORS as e:
            info = error_info(e, "securityhub:GetFindingAggregator")
            account["warnings"].append("Finding aggregator %s unreadable (%s); home Region taken from its ARN." % (arn, info["aws_code"]))
            return {"arn": arn, "home_region": home, "mode": "ALL_REGIONS", "regions": []}
        return {
            "arn": arn,
            "home_region": detail.get("FindingAggregationRegion") or home,
            "mode": detail.get("RegionLinkingMode") or "ALL_REGIONS",
            "regions": sorted(detail.get("Regions") or []),
        }
    if last:
        account["warnings"].append(
            "No Region could list Security Hub finding aggregators (%s); every Region is treated as "
            "standalone. Pass home_region to say otherwise." % last["aws_code"]
        )
    return None


def gather_region(clients, region, account_id, controls_given=False):
    """Everything Config.1 depends on in one Region. Never raises for AWS errors."""
    call = Counter()
    state = {
        "region": region,
        "errors": [],
        "recorder": None,
        "recorder_status": None,
        "service_linked_recorders": [],
        "delivery_channel": None,
        "delivery_channel_status": None,
        "security_hub": {"enabled": None, "error": None, "controls": None, "config1_parameters": None},
        "finding": None,
        "warnings": [],
    }
    try:
        gather_config(clients.get("config", region), call, state)
    except AWS_ERRORS as e:
        state["errors"].append(error_info(e, "config:" + getattr(e, "operation_name", "") or "config"))
    if not state["errors"] or controls_given:
        gather_security_hub(clients.get("securityhub", region), call, state, account_id, controls_given)
    state["calls"] = call.calls
    return normalize_boto3_result(state)


def customer_recorder(client, call):
    """The customer-managed recorder (service-linked ones carry a servicePrincipal), or None."""
    recorders = call(client, "describe_configuration_recorders").get("ConfigurationRecorders", [])
    return next((r for r in recorders if not r.get("servicePrincipal")), None)


def gather_config(client, call, state):
    state["recorder"] = customer_recorder(client, call)
    if state["recorder"]:
        statuses = call(client, "describe_configuration_recorder_status").get("ConfigurationRecordersStatus", [])
        state["recorder_status"] = next((s for s in statuses if s.get("name") == state["recorder"]["name"]), None)
    summaries = call.pages(client, "list_configuration_recorders", "ConfigurationRecorderSummaries", MaxResults=20)
    state["service_linked_recorders"] = [s for s in summaries if s.get("servicePrincipal")]
    channels = call(client, "describe_delivery_channels").get("DeliveryChannels", [])
    state["delivery_channel"] = channels[0] if channels else None
    if channels:
        statuses = call(client, "describe_delivery_channel_status").get("DeliveryChannelsStatus", [])
        state["delivery_channel_status"] = next((s for s in statuses if s.get("name") == channels[0]["name"]), None)


def gather_security_hub(client, call, state, account_id, controls_given):
    sh = state["security_hub"]
    ids = [c.CONFIG1_CONTROL_ID] if controls_given else [c.CONFIG1_CONTROL_ID] + sorted(CONTROLS)
    controls = {}
    try:
        for ctl in call.security_controls(client, ids)[0]:
            controls[ctl["SecurityControlId"]] = ctl.get("SecurityControlStatus")
            if ctl["SecurityControlId"] == c.CONFIG1_CONTROL_ID:
                sh["config1_parameters"] = ctl.get("Parameters") or {}
                sh["config1_update_status"] = ctl.get("UpdateStatus")
    except AWS_ERRORS as e:
        info = error_info(e, "securityhub:BatchGetSecurityControls")
        if info["code"] == c.NA_SECURITY_HUB_NOT_ENABLED:
            sh["enabled"] = False
        else:
            sh["error"] = info
            if controls_given:
                state["warnings"].append("Security Hub unreadable (%s); using the controls option." % info["aws_code"])
        return
    sh["enabled"] = True
    if not controls_given:
        sh["controls"] = controls
    try:
        page = call(
            client,
            "get_findings",
            Filters={
                "AwsAccountId": [{"Value": account_id, "Comparison": "EQUALS"}],
                "Region": [{"Value": state["region"], "Comparison": "EQUALS"}],
                "ComplianceSecurityControlId": [{"Value": c.CONFIG1_CONTROL_ID, "Comparison": "EQUALS"}],
                "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
            },
            SortCriteria=[{"Field": "UpdatedAt", "SortOrder": "desc"}],
            MaxResults=10,
        )
        findings = page.get("Findings") or []
        state["finding"] = max(findings, key=lambda f: str(f.get("UpdatedAt"))) if findings else None
    except AWS_ERRORS as e:
        state["warnings"].append("Could not read the live Config.1 finding (%s)." % error_info(e, "GetFindings")["aws_code"])


def gather_controls(clients, region, control_ids, with_associations):
    """Security Hub side of one Region: Config.1's parameters and the named controls with their
    standard associations. Never raises for AWS errors."""
    call = Counter()
    state = {"region": region, "errors": [], "controls": {}, "associations": {}, "warnings": []}
    client = clients.get("securityhub", region)
    ids = [c.CONFIG1_CONTROL_ID] + [x for x in control_ids if x != c.CONFIG1_CONTROL_ID]
    try:
        controls, unprocessed = call.security_controls(client, ids)
        for ctl in controls:
            state["controls"][ctl["SecurityControlId"]] = {
                "status": ctl.get("SecurityControlStatus"),
                "update_status": ctl.get("UpdateStatus"),
                "parameters": ctl.get("Parameters") or {},
            }
        for miss in unprocessed:
            state["warnings"].append("control %s: %s" % (miss.get("SecurityControlId"), miss.get("ErrorReason") or miss.get("ErrorCode")))
        for cid in with_associations:
            items = call.pages(client, "list_standards_control_associations", "StandardsControlAssociationSummaries",
                               SecurityControlId=cid, MaxResults=100)
            state["associations"][cid] = [
                {"StandardsArn": a["StandardsArn"], "AssociationStatus": a.get("AssociationStatus"), "UpdatedReason": a.get("UpdatedReason")}
                for a in items
            ]
    except AWS_ERRORS as e:
        state["errors"].append(error_info(e, "securityhub"))
    state["calls"] = call.calls
    return normalize_boto3_result(state)


def config1_update_status(clients, region):
    page = clients.get("securityhub", region).batch_get_security_controls(aws_retry=True, SecurityControlIds=[c.CONFIG1_CONTROL_ID])
    controls = page.get("SecurityControls") or [{}]
    return controls[0].get("UpdateStatus")
