"""The 2026 scenario of shared/policy/SCENARIO.md, played through the services (`manage.py seed_demo`).

The top of the import graph: it may import every app; nothing imports it except seed_demo, the
benchmarks and the tests that need the scenario.
"""
