"""Errors that services raise for the caller to explain; messages are meant for people."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out as asked; `str()` says why."""


class InvalidInput(ServiceError):
    """One or more values are wrong; `problems` maps a field name to its message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))


class NotFound(ServiceError):
    pass
