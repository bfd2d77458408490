"""Benchmarks of the search: ``python -m benchmarks.run`` (see ``make bench``).

Speed is measured here, never in timed tests. Every number is reported next to a
baseline measured in the same run (a naive full scan, a trivial HTTP endpoint),
because the machines are shared and noisy.
"""
