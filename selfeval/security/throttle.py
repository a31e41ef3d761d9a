"""Log-in throttling: after repeated failures for an account or from an address, 429 for a while.

Built on `limits` (the storage and window logic under Flask-Limiter). Only failures count, so that a
school whose teachers all log in through one address is not locked out by successful log-ins. The
store is per process (memory://) unless SELFEVAL_RATELIMIT_STORAGE names a shared one such as Redis,
which several server processes or machines need to count together.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("selfeval.security")
EXTENSION = "selfeval_login_throttle"


@dataclass(frozen=True)
class Blocked:
    """Log-in refused for this many seconds."""

    retry_after: int


class LoginThrottle:
    """Counts failed log-ins per account and per client address in a moving window."""

    def __init__(self, storage: Storage, per_account: RateLimitItem, per_address: RateLimitItem):
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_account = per_account
        self.per_address = per_address

    def check(self, email: str, address: str) -> Blocked | None:
        """Blocked while either limit is used up (then the password is not even checked)."""
        try:
            waits = [
                self._seconds_left(limit, kind, key)
                for limit, kind, key in self._keys(email, address)
                if not self.limiter.test(limit, kind, key)
            ]
        except StorageError:
            _storage_down()
            return None
        return Blocked(max(waits)) if waits else None

    def failed(self, email: str, address: str) -> None:
        try:
            for limit, kind, key in self._keys(email, address):
                self.limiter.hit(limit, kind, key)
        except StorageError:
            _storage_down()

    def succeeded(self, email: str) -> None:
        """The right password ends the account's count; the address's count stays."""
        try:
            self.limiter.clear(self.per_account, "account", _account_key(email))
        except StorageError:
            _storage_down()

    def _keys(self, email: str, address: str):
        return ((self.per_account, "account", _account_key(email)), (self.per_address, "address", address))

    def _seconds_left(self, limit: RateLimitItem, kind: str, key: str) -> int:
        reset_at = self.limiter.get_window_stats(limit, kind, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def _storage_down() -> None:
    # Fail open: with the shared store down nobody could log in at all. Passwords are still checked
    # (scrypt makes each guess slow), and the operator sees the error in the log.
    log.error("log-in throttling is off: the rate-limit storage cannot be reached", exc_info=True)


def _account_key(email: str) -> str:
    # Hashed so that a shared store (Redis) holds no e-mail addresses.
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def register(app: Flask) -> None:
    config = app.config
    storage = storage_from_string(config["SELFEVAL_RATELIMIT_STORAGE"], key_prefix="selfeval-login", wrap_exceptions=True)
    app.extensions[EXTENSION] = LoginThrottle(
        storage, parse(config["SELFEVAL_LOGIN_LIMIT_ACCOUNT"]), parse(config["SELFEVAL_LOGIN_LIMIT_ADDRESS"])
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions[EXTENSION]
