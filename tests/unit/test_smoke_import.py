from ansible_collections.secops.config1.plugins.module_utils import verdict, plan, control_table


def test_imports_from_checkout():
    assert "S3.1" in control_table.CONTROLS or control_table.CONTROLS
    assert verdict.evaluate_region and plan.plan_region
