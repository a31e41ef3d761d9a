"""Benchmarks: synthetic data at state scale and the measurements recorded in docs/BENCHMARKS.md.

Not part of the installed package: they run from a checkout, `python -m benchmarks …` in its root.
"""

from pathlib import Path

#: The checkout the benchmarks lie in: wsgi.py is here, and the subprocesses find this package from here.
CHECKOUT = Path(__file__).resolve().parent.parent
