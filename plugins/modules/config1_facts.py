#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.config1 contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config1_facts
version_added: 1.0.0
short_description: Reproduce Security Hub's Config.1 verdict for an account across its Regions
description:
  - Reads AWS Config, IAM and Security Hub state of one account in several Regions (concurrently)
    and evaluates control Config.1 (AWS Config should be enabled and use the service-linked role for
    resource recording) the way Security Hub does.
  - Required resource types are the union, over the controls enabled in that Region, of AWS's table
    of required resources (shipped with the collection). IAM global types are required only in the
    home Region or in Regions outside a finding aggregator.
  - FAILED verdicts carry Security Hub's reason codes C(CONFIG_RECORDER_DISABLED),
    C(CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES) and C(CONFIG_RECORDER_CUSTOM_ROLE).
    A Region that cannot be evaluated is C(NOT_AVAILABLE) with a reason code of our own, prefixed
    C(SECOPS_), so that it is never mistaken for one of Security Hub's.
  - Read-only; returns only C(ansible_facts.config1).
author:
  - secops.config1 developers (@secops)
attributes:
  check_mode:
    support: full
    description: The module only reads.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
  facts:
    support: full
    description: Sets C(ansible_facts.config1).
extends_documentation_fragment:
  - secops.config1.config1
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Config.1 verdict in three Regions
  secops.config1.config1_facts:
    regions: [us-east-1, eu-west-1, ap-southeast-2]

- name: Without Security Hub read access, name the enabled controls
  secops.config1.config1_facts:
    regions: [eu-west-1]
    controls: [Config.1, S3.1, EC2.2, IAM.1]
    home_region: eu-west-1

- name: Fail the play when a Region fails Config.1
  ansible.builtin.assert:
    that: ansible_facts.config1.summary.failed == 0
    fail_msg: >-
      {{ ansible_facts.config1.regions | dict2items
         | selectattr('value.status', 'eq', 'FAILED') | map(attribute='key') }}
"""

RETURN = r"""
ansible_facts:
  description: Facts set on the host.
  returned: always
  type: complex
  contains:
    config1:
      description: Config.1 state and verdict of the account.
      returned: always
      type: complex
      contains:
        account_id:
          description: The account ID.
          type: str
          returned: always
          sample: "123456789012"
        partition:
          description: The AWS partition.
          type: str
          returned: always
          sample: aws
        caller_arn:
          description: The identity used.
          type: str
          returned: always
          sample: arn:aws:sts::123456789012:assumed-role/Audit/session
        service_linked_role:
          description: Whether C(AWSServiceRoleForConfig) exists (found by its path); C(exists) is null when it could not be read.
          type: dict
          returned: always
          sample: {"exists": true, "arn": "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"}
        aggregator:
          description: The Security Hub finding aggregator (home Region, linking mode, Regions), or null.
          type: dict
          returned: always
          sample: {"arn": "arn:aws:securityhub:eu-west-1:123456789012:finding-aggregator/abc", "home_region": "eu-west-1", "mode": "ALL_REGIONS", "regions": []}
        summary:
          description: How many Regions passed, failed, could not be evaluated.
          type: dict
          returned: always
          sample: {"passed": 2, "failed": 1, "not_available": 0}
        warnings:
          description: Things the reader should know (unknown controls, unreadable parts).
          type: list
          elements: str
          returned: always
        api_calls:
          description: AWS API calls made, for the account and per Region.
          type: dict
          returned: always
          sample: {"account": 3, "regions": {"eu-west-1": 11}, "total": 14}
        regions:
          description: Per Region (keyed by Region code), the verdict and the state it rests on.
          type: dict
          returned: always
          contains:
            status:
              description: C(PASSED), C(FAILED) or C(NOT_AVAILABLE).
              type: str
              sample: FAILED
            reasons:
              description: Reason codes with descriptions; Security Hub's texts for its codes.
              type: list
              elements: dict
              sample:
                - code: CONFIG_RECORDER_CUSTOM_ROLE
                  description: The AWS Config recorder is using a custom IAM role instead of the AWS Config service-linked role.
            region_role:
              description: C(home), C(linked) or C(standalone) in cross-Region aggregation.
              type: str
            required_resource_types:
              description: Resource types the enabled controls need recorded here (sorted).
              type: list
              elements: str
            missing_resource_types:
              description: Required types the recorder does not record (sorted; empty when none).
              type: list
              elements: str
            recorder:
              description: >-
                The customer-managed recorder (name, arn, role_arn, uses_service_linked_role, recording,
                last_status, last_error_code, recording_group, recording_mode, managed_by) or null.
                C(managed_by) is C(control_tower) for C(aws-controltower-*) recorders, else C(customer).
              type: dict
            service_linked_recorders:
              description: Service-linked recorders (for example Security Hub's C(AWSConfigurationRecorderForSecurityHubCSPM)).
              type: list
              elements: dict
            delivery_channel:
              description: The delivery channel, AWS defaults filled in, or null.
              type: dict
            delivery_status:
              description: The delivery channel's status (history, snapshot and stream delivery), or null.
              type: dict
            security_hub:
              description: Security Hub state (enabled, home_region, enabled_controls, controls_source, unknown_controls, role_check).
              type: dict
            finding:
              description: >-
                The live Config.1 finding (id, compliance_status, reasons, workflow_status, record_state,
                updated_at, agrees) or null. C(agrees) tells whether Security Hub's last verdict matches ours.
              type: dict
            warnings:
              description: Region-specific warnings.
              type: list
              elements: str
"""

from ansible_collections.secops.config1.plugins.module_utils import base
from ansible_collections.secops.config1.plugins.module_utils import gather
from ansible_collections.secops.config1.plugins.module_utils import verdict


def main():
    module = base.Config1Module(argument_spec=dict(base.COMMON_ARGS), supports_check_mode=True)
    opts = base.check_common(module)
    clients = base.Clients(module, opts["regions"], opts["retries"])
    account = base.account_or_fail(module, clients, opts)
    clients.prepare(("config", "securityhub"), opts["regions"])
    controls_given = opts["controls"] is not None
    states = base.fan_out(
        opts["regions"],
        lambda region: gather.gather_region(clients, region, account["account_id"], controls_given),
        opts["concurrency"],
    )
    results = verdict.evaluate_all(account, states, opts)
    facts = verdict.account_facts(account, results, states, clients.created)
    module.exit_json(changed=False, ansible_facts={"config1": facts})


if __name__ == "__main__":
    main()
