"""AWS emulator test harness for secops.config1: moto 5.2.5 server plus extensions.

Public entry points:

* :class:`tests.harness.emulator.Emulator` - start/stop the emulator, call log, faults.
* :mod:`tests.harness.seed` - seeding helpers (boto3 calls against the emulator).
* :mod:`tests.harness.pytest_plugin` - ``emulator_server`` / ``emulator`` fixtures.
* :func:`tests.harness.shapes.validate_output` - botocore output-shape checker.
"""
