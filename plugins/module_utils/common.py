# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts about Config.1 and AWS that the rest of the collection relies on.

Everything that a source marks UNCONFIRMED lives here, in one place, so that it can be
changed without touching the logic (see README, "What is not confirmed").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# --- IAM service-linked role ------------------------------------------------------------------
CONFIG_SERVICE_PRINCIPAL = "config.amazonaws.com"
SLR_NAME = "AWSServiceRoleForConfig"
SLR_PATH = "/aws-service-role/config.amazonaws.com/"
# UNCONFIRMED (config1.md §7.4): whether Config.1 accepts a role ARN without the path. We
# recognise the service-linked role by its path, whatever the case of the name.
SLR_ARN_MARKER = ":role" + SLR_PATH


def slr_arn(partition, account_id):
    return "arn:%s:iam::%s:role%s%s" % (partition, account_id, SLR_PATH, SLR_NAME)


def is_service_linked_role_arn(arn):
    return bool(arn) and SLR_ARN_MARKER.lower() in arn.lower()


# --- Recorders -------------------------------------------------------------------------------
SECURITY_HUB_PRINCIPAL = "securityhub.amazonaws.com"
SECURITY_HUB_RECORDER_NAME = "AWSConfigurationRecorderForSecurityHubCSPM"
CONTROL_TOWER_RECORDER_PREFIX = "aws-controltower-"
DEFAULT_RECORDER_NAME = "default"
DEFAULT_CHANNEL_NAME = "default"

ALL_SUPPORTED = "ALL_SUPPORTED_RESOURCE_TYPES"
INCLUSION = "INCLUSION_BY_RESOURCE_TYPES"
EXCLUSION = "EXCLUSION_BY_RESOURCE_TYPES"
STRATEGIES = (ALL_SUPPORTED, INCLUSION, EXCLUSION)

CONTINUOUS = "CONTINUOUS"
DAILY = "DAILY"
# AWS Config rejects DAILY for these (API_RecordingMode).
DAILY_FORBIDDEN_TYPES = (
    "AWS::Config::ConfigurationRecorder",
    "AWS::Config::ConformancePackCompliance",
    "AWS::Config::ResourceCompliance",
)
DELIVERY_FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")

IAM_GLOBAL_TYPES = ("AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User")
# Regions where AWS Config cannot record IAM global types (launched after February 2022), per
# the AWS Config developer guide (select-resources). UNCONFIRMED for ap-east-2 and
# ap-southeast-6, which are in neither list; they are left out until a source says otherwise.
IAM_GLOBAL_UNRECORDABLE_REGIONS = frozenset(
    (
        "ap-south-2",  # Hyderabad
        "ap-southeast-5",  # Malaysia
        "ap-southeast-4",  # Melbourne
        "ap-southeast-7",  # Thailand
        "ca-west-1",  # Calgary
        "eu-south-2",  # Spain
        "eu-central-2",  # Zurich
        "il-central-1",  # Tel Aviv
        "mx-central-1",  # Mexico (Central)
        "me-central-1",  # UAE
    )
)

# --- Security Hub ------------------------------------------------------------------------------
CONFIG1_CONTROL_ID = "Config.1"
ROLE_CHECK_PARAMETER = "includeConfigServiceLinkedRoleCheck"
CONTROL_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*\.[0-9]+$")
# UNCONFIRMED (config1.md §7.5): the BatchGetSecurityControls batch size; the model sets none.
SECURITY_CONTROLS_BATCH = 100

# --- Verdict -----------------------------------------------------------------------------------
PASSED = "PASSED"
FAILED = "FAILED"
NOT_AVAILABLE = "NOT_AVAILABLE"

RECORDER_DISABLED = "CONFIG_RECORDER_DISABLED"
MISSING_TYPES = "CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES"
CUSTOM_ROLE = "CONFIG_RECORDER_CUSTOM_ROLE"

# The texts of live findings (config1.md §1.6), which differ slightly from the documented ones;
# a reader comparing our verdict with Security Hub's sees the same words. The list of missing
# types is comma-separated and the sentence ends with a period (format UNCONFIRMED).
REASON_TEXT = {
    RECORDER_DISABLED: "AWS Config isn't enabled with the configuration recorder turned on.",
    MISSING_TYPES: (
        "AWS Config isn't recording all resource types that correspond to enabled Security Hub "
        "controls. Turn on recording for the following resources: {types}."
    ),
    CUSTOM_ROLE: "The AWS Config recorder is using a custom IAM role instead of the AWS Config service-linked role.",
}

# Codes of our own for regions that cannot be evaluated. They start with SECOPS_ so that nobody
# mistakes them for Security Hub's codes.
OWN_PREFIX = "SECOPS_"
NA_ACCESS_DENIED = "SECOPS_ACCESS_DENIED"
NA_THROTTLED = "SECOPS_THROTTLED"
NA_REGION_NOT_ENABLED = "SECOPS_REGION_NOT_ENABLED"
NA_SECURITY_HUB_NOT_ENABLED = "SECOPS_SECURITY_HUB_NOT_ENABLED"
NA_ENDPOINT_UNREACHABLE = "SECOPS_ENDPOINT_UNREACHABLE"
NA_API_ERROR = "SECOPS_API_ERROR"

ACCESS_DENIED_CODES = frozenset(
    ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "403")
)
THROTTLING_CODES = frozenset(
    (
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "SlowDown",
    )
)
# What AWS answers for credentials used in an opt-in Region that the account has not enabled.
REGION_DISABLED_CODES = frozenset(
    ("UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "OptInRequired", "InvalidSignatureException")
)
SECURITY_HUB_DISABLED_CODES = frozenset(("InvalidAccessException",))


def classify_error(code):
    """Map an AWS error code to one of our NOT_AVAILABLE reason codes."""
    if code in ACCESS_DENIED_CODES:
        return NA_ACCESS_DENIED
    if code in THROTTLING_CODES:
        return NA_THROTTLED
    if code in REGION_DISABLED_CODES:
        return NA_REGION_NOT_ENABLED
    if code in SECURITY_HUB_DISABLED_CODES:
        return NA_SECURITY_HUB_NOT_ENABLED
    if code == "EndpointConnectionError":
        return NA_ENDPOINT_UNREACHABLE
    return NA_API_ERROR


NA_HINTS = {
    NA_ACCESS_DENIED: "the credentials lack a permission (see docs/iam/audit-policy.json)",
    NA_THROTTLED: "AWS throttled the calls past the retries; run again or raise the retries option",
    NA_REGION_NOT_ENABLED: "the Region may be an opt-in Region that is not enabled for this account",
    NA_SECURITY_HUB_NOT_ENABLED: "Security Hub is not enabled in this Region; pass controls to evaluate anyway",
    NA_ENDPOINT_UNREACHABLE: "the endpoint could not be reached",
    NA_API_ERROR: "an AWS API call failed",
}
