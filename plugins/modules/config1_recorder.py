#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.config1 contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config1_recorder
version_added: 1.0.0
short_description: Make Security Hub control Config.1 pass, idempotently, in several Regions
description:
  - Reads the same state as M(secops.config1.config1_facts), plans the smallest change that makes
    Config.1 pass in each Region, and applies it (or, in check mode, shows it).
  - The fix is the AWS Config service-linked role (created when missing), a delivery channel, the
    required resource types recorded, and the recorder started. After a real run each changed Region
    is read again and its verdict reported (C(verified)).
  - Compares normalised desired and current state, so a recorder that already passes is never
    rewritten. C(PutConfigurationRecorder) replaces the whole object, so the new object is built from
    the current one and keeps everything the user set.
  - Never stops or deletes a recorder or a delivery channel. Recorders owned by AWS Control Tower
    (C(aws-controltower-*)) are left alone unless O(control_tower=manage).
  - Bad input (malformed role ARN, DAILY for a type AWS forbids, a Region that needs a channel and
    got none) fails before any change, with a message that names the option.
author:
  - secops.config1 developers (@secops)
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports the actions it would take, the diff and the predicted verdict.
  diff_mode:
    support: full
    description: Shows each changed Region's recorder, recording state and delivery channel before and after.
options:
  role:
    description:
      - C(service_linked) points the recorder at C(AWSServiceRoleForConfig), creating the role when missing.
      - An IAM role ARN (of the same account) keeps or sets a custom role. Config.1 then fails with
        C(CONFIG_RECORDER_CUSTOM_ROLE) unless its parameter C(includeConfigServiceLinkedRoleCheck) is
        false (see M(secops.config1.config1_control)).
    type: str
    default: service_linked
  resource_types:
    description:
      - C(preserve) keeps the recorder's strategy and its extra types and adds only what Config.1 needs
        (adds to an inclusion list, drops required types from an exclusion list, turns on global types
        only where they are required). A new recorder records the required types, as with C(required).
      - C(required) records exactly the required types plus O(extra_resource_types), the cheapest
        passing recorder (all supported types when no enabled control needs any).
      - C(all_supported) records all supported types (global types where they are required or already on).
    type: str
    choices: [preserve, required, all_supported]
    default: preserve
  extra_resource_types:
    description: Resource types to record in addition to the required ones.
    type: list
    elements: str
    default: []
  recording_frequency:
    description:
      - C(CONTINUOUS) or C(DAILY). Default keeps what the recorder has (new recorders C(CONTINUOUS)).
      - AWS does not allow C(DAILY) for C(AWS::Config::ResourceCompliance),
        C(AWS::Config::ConformancePackCompliance) and C(AWS::Config::ConfigurationRecorder).
    type: str
    choices: [CONTINUOUS, DAILY]
  recording_mode_overrides:
    description: Recording frequency overrides (AWS allows one). Default keeps the recorder's.
    type: list
    elements: dict
    suboptions:
      description:
        description: What the override is for.
        type: str
      resource_types:
        description: The resource types it applies to.
        type: list
        elements: str
        required: true
      recording_frequency:
        description: Their frequency.
        type: str
        required: true
        choices: [CONTINUOUS, DAILY]
  delivery_channel:
    description:
      - The delivery channel for Regions that have none (a recorder cannot start without one).
      - An existing channel is left as it is unless a key given here differs from it; then only the
        keys given change.
    type: dict
    suboptions:
      name:
        description: Name of a new channel (default C(default)); existing channels keep theirs.
        type: str
      s3_bucket:
        description: The S3 bucket that receives configuration history and snapshots.
        type: str
      s3_key_prefix:
        description: Prefix in the bucket.
        type: str
      s3_kms_key_arn:
        description: KMS key to encrypt delivered objects.
        type: str
      sns_topic_arn:
        description: SNS topic for notifications.
        type: str
      delivery_frequency:
        description: How often snapshots are delivered.
        type: str
        choices: [One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours]
  recorder_name:
    description: Name of a new recorder. An existing recorder keeps its name.
    type: str
    default: default
  control_tower:
    description:
      - C(skip) leaves C(aws-controltower-*) recorders untouched and reports them; C(manage) handles them like any other.
    type: str
    choices: [skip, manage]
    default: skip
  fail_on_unavailable:
    description:
      - Fail the task when a Region cannot be evaluated (access denied, throttled, opt-in Region disabled).
        The other Regions are handled either way.
    type: bool
    default: true
extends_documentation_fragment:
  - secops.config1.config1
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Audit (check mode) what would change
  secops.config1.config1_recorder:
    regions: [us-east-1, eu-west-1]
    delivery_channel:
      s3_bucket: org-config-logs
  check_mode: true
  diff: true

- name: Fix Config.1 with the cheapest passing recorder, daily recording
  secops.config1.config1_recorder:
    regions: [us-east-1, eu-west-1, eu-central-1]
    resource_types: required
    recording_frequency: DAILY
    delivery_channel:
      s3_bucket: org-config-logs
      s3_key_prefix: config
      delivery_frequency: TwentyFour_Hours

- name: Keep a custom role (then waive the role check with config1_control)
  secops.config1.config1_recorder:
    regions: [eu-west-1]
    role: arn:aws:iam::123456789012:role/MyConfigRole
"""

RETURN = r"""
changed:
  description: Whether anything changed (or, in check mode, would change).
  type: bool
  returned: always
account_id:
  description: The account handled.
  type: str
  returned: always
  sample: "123456789012"
account:
  description: The account as config1_facts reports it (account_id, partition, caller_arn, service_linked_role, aggregator, warnings).
  type: dict
  returned: always
verdict_summary:
  description: How many Regions pass, fail and cannot be evaluated after the run (current state in check mode).
  type: dict
  returned: always
  sample: {"passed": 3, "failed": 1, "not_available": 0}
account_actions:
  description: Account-level calls made (or that would be made), such as C(iam:CreateServiceLinkedRole).
  type: list
  elements: str
  returned: always
summary:
  description: Counts of Regions changed, unchanged, skipped, failed, passing and not passing.
  type: dict
  returned: always
  sample: {"changed": 2, "unchanged": 1, "skipped": 0, "failed": 0, "passed": 3, "not_passed": 0}
api_calls:
  description: Mutating AWS calls made by this run (0 in check mode).
  type: dict
  returned: always
  sample: {"mutating": 3}
diff:
  description: Before and after per changed Region (recorder, recording, delivery_channel), in diff mode (C(--diff)).
  type: dict
  returned: when diff mode is on
regions:
  description: Per Region (keyed by Region code).
  type: dict
  returned: always
  contains:
    changed:
      description: Whether this Region changed (would change in check mode).
      type: bool
    skipped:
      description: Why the Region was left alone (Control Tower recorder, cannot be evaluated, Security Hub's recorder), or null.
      type: str
    actions:
      description: >-
        The ordered API calls (action, why, params) made or, in check mode, that would be made. After a
        real run each has a C(result) of C(done), C(failed) or C(not_attempted).
      type: list
      elements: dict
      sample: [{"action": "config:StartConfigurationRecorder", "why": "start recording", "params": {"ConfigurationRecorderName": "default"}}]
    before:
      description: Recorder (normalised), recording flag and delivery channel before.
      type: dict
    after:
      description: The same after the change (read back from AWS after a real run; predicted in check mode).
      type: dict
    status_before:
      description: Config.1 verdict before the change.
      type: str
    reasons_before:
      description: Reasons of that verdict.
      type: list
      elements: dict
    predicted_status:
      description: The verdict the plan predicts.
      type: str
    predicted_reasons:
      description: Reasons of the predicted verdict.
      type: list
      elements: dict
    status:
      description: The verdict after the run (read back when C(verified)), the prediction in check mode.
      type: str
    reasons:
      description: Reasons of that verdict.
      type: list
      elements: dict
    verified:
      description: Whether C(status) was read back from AWS after the change.
      type: bool
    verdict:
      description: >-
        The Region's Config.1 state after the run, in the shape of config1_facts' C(regions.<region>)
        (read back where something changed; otherwise as read at the start, so in check mode the current
        state, not the prediction). Lets a caller skip a separate config1_facts run.
      type: dict
    failed:
      description: The error of the step that failed (code, aws_code, message, operation), when one did.
      type: dict
      returned: when a step failed
    notes:
      description: Races handled (a recorder or channel that appeared meanwhile).
      type: list
      elements: str
      returned: after a real run in a changed Region
    warnings:
      description: Region-specific warnings.
      type: list
      elements: str
"""

from ansible_collections.secops.config1.plugins.module_utils import base
from ansible_collections.secops.config1.plugins.module_utils import remediate


def main():
    argument_spec = dict(base.COMMON_ARGS, **remediate.ARGS)
    module = base.Config1Module(argument_spec=argument_spec, supports_check_mode=True)
    remediate.run(module)


if __name__ == "__main__":
    main()
