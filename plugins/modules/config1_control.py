#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.config1 contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config1_control
version_added: 1.0.0
short_description: Security Hub's side of Config.1 - the role-check parameter and controls to disable
description:
  - Sets or resets Config.1's parameter C(includeConfigServiceLinkedRoleCheck) with
    C(securityhub:UpdateSecurityControl) and waits out C(UpdateStatus=UPDATING), for accounts that keep a
    custom AWS Config role.
  - Disables or enables named controls in every standard of a Region with a reason
    (C(securityhub:BatchUpdateStandardsControlAssociations)), for example the IAM global-resource
    controls outside the home Region, as AWS recommends.
  - Idempotent; same Region fan-out, check mode and diff as the other modules.
author:
  - secops.config1 developers (@secops)
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would change.
  diff_mode:
    support: full
    description: Shows the parameter and the controls' association status before and after.
options:
  role_check:
    description:
      - C(disabled) sets C(includeConfigServiceLinkedRoleCheck=false) (Config.1 no longer checks the role),
        C(enabled) sets it to true, C(default) resets it to Security Hub's default (true).
      - Omitted leaves the parameter alone.
    type: str
    choices: [enabled, disabled, default]
  disabled_controls:
    description: Control IDs to disable in every enabled standard of each Region (for example C(IAM.1)).
    type: list
    elements: str
    default: []
  enabled_controls:
    description: Control IDs to enable again in every standard they are associated with.
    type: list
    elements: str
    default: []
  reason:
    description: The reason recorded with the change (letters, digits, spaces, dashes, underscores).
    type: str
    default: Managed by secops config1
  wait:
    description: Wait until the parameter update is C(READY).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for C(READY).
    type: int
    default: 300
extends_documentation_fragment:
  - secops.config1.config1
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Waive the service-linked-role check where a custom role is kept
  secops.config1.config1_control:
    regions: [eu-west-1, eu-central-1]
    role_check: disabled
    reason: Custom role owned by the platform team

- name: Disable IAM global-resource controls outside the home Region
  secops.config1.config1_control:
    regions: [eu-central-1, us-east-1]
    disabled_controls: [IAM.1, IAM.2, IAM.3]
    reason: Global resources are recorded in the home Region only
"""

RETURN = r"""
changed:
  description: Whether anything changed (would change in check mode).
  type: bool
  returned: always
api_calls:
  description: Mutating calls made (0 in check mode).
  type: dict
  returned: always
  sample: {"mutating": 1}
diff:
  description: Per changed Region, the parameter and control association states before and after.
  type: dict
  returned: when diff mode is on
regions:
  description: Per Region.
  type: dict
  returned: always
  contains:
    changed:
      description: Whether the Region changed.
      type: bool
    skipped:
      description: Why the Region could not be handled, or null.
      type: str
    actions:
      description: Calls made or that would be made (action, why, params).
      type: list
      elements: dict
    before:
      description: C(role_check) parameter value and each named control's association statuses before.
      type: dict
    after:
      description: The same after.
      type: dict
    result:
      description: Actions done and not attempted, and notes (for example still UPDATING).
      type: dict
      returned: after a real run with changes
    failed:
      description: The error, when the update failed.
      type: dict
      returned: on failure
    warnings:
      description: Region warnings (for example a control that is in no enabled standard).
      type: list
      elements: str
"""

from ansible_collections.secops.config1.plugins.module_utils import base
from ansible_collections.secops.config1.plugins.module_utils import control


def main():
    module = base.Config1Module(argument_spec=dict(base.COMMON_ARGS, **control.ARGS), supports_check_mode=True)
    control.run(module)


if __name__ == "__main__":
    main()
