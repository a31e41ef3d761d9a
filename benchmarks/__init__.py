"""Benchmarks: synthetic data at state scale and the measurements recorded in docs/BENCHMARKS.md."""
