"""Helpers shared by the tests: factories, page reading, payloads, data sets.

Test modules import from here, never from each other (tests/unit/test_layers.py checks it)."""
