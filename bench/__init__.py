"""Benchmarks: each prints its figures and the ratio against its target, in the same run."""
