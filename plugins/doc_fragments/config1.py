# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # Options every secops.config1 module shares (spec in module_utils/base.py COMMON_ARGS).
    DOCUMENTATION = r"""
options:
  regions:
    description:
      - The Regions to handle, concurrently inside one module run (a thread pool).
      - Defaults to the module's O(region) (or E(AWS_REGION)).
      - An unknown Region code fails before any AWS call.
    type: list
    elements: str
  controls:
    description:
      - The enabled Security Hub control IDs to assume in every Region, instead of discovering them
        with C(securityhub:BatchGetSecurityControls). For callers without Security Hub read access.
      - A malformed ID (not like C(S3.1)) fails; a well-formed ID missing from the shipped table is a warning.
    type: list
    elements: str
  home_region:
    description:
      - The Security Hub aggregation (home) Region. IAM global resource types are required only in the
        home Region and in Regions outside an aggregator.
      - Default is discovered with C(securityhub:ListFindingAggregators); with no aggregator every
        Region is standalone. When set, the other Regions are treated as linked to it.
    type: str
  retries:
    description:
      - How many times a throttled or temporarily failing AWS call is retried (jittered exponential backoff).
    type: int
    default: 8
  concurrency:
    description:
      - How many Regions are handled at the same time.
    type: int
    default: 8
  expected_account_id:
    description:
      - The account the credentials must reach. When they reach another account the module fails
        right after C(sts:GetCallerIdentity), before reading or changing anything else.
    type: str
"""
