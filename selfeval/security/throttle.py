"""Log-in throttling: after repeated failures for an account or from an address, 429 for a while.

Built on `limits` (the storage and window logic under Flask-Limiter). Only failures count, so that a
school whose teachers all log in through one address is not locked out by successful log-ins; yet
every attempt is counted before its password is checked, so parallel requests cannot slip past. The
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
from limits.storage import MemoryStorage, RedisStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("selfeval.security")
EXTENSION = "selfeval_login_throttle"
RESET_EXTENSION = "selfeval_reset_throttle"


@dataclass(frozen=True)
class Blocked:
    """Log-in refused for this many seconds."""

    retry_after: int


class LoginThrottle:
    """Counts failed log-ins per account and per client address in a moving window.

    An attempt is counted *before* its password is checked (reserve), in one atomic step of the store
    (a lock in memory, a Lua script in Redis): however many attempts arrive at once, no more passwords
    are checked than the limit allows. The right password then takes its own count back (succeeded),
    so that in the end only failures count.
    """

    def __init__(self, storage: Storage, per_account: RateLimitItem, per_address: RateLimitItem):
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_account = per_account
        self.per_address = per_address

    def reserve(self, email: str, address: str) -> Blocked | None:
        """Count this attempt, or Blocked while either limit is used up (then the password is not even checked)."""
        try:
            account, by_address = self._keys(email, address)
            if not self.limiter.hit(*by_address):
                return Blocked(self._seconds_left(*by_address))
            if not self.limiter.hit(*account):
                self._take_back(*by_address)  # this attempt was not made
                return Blocked(self._seconds_left(*account))
        except StorageError:
            _storage_down()
        return None

    def succeeded(self, email: str, address: str) -> None:
        """The right password ends the account's count and takes this attempt back from the address's."""
        try:
            self.limiter.clear(self.per_account, "account", _account_key(email))
            self._take_back(self.per_address, "address", address)
        except StorageError:
            _storage_down()

    def _keys(self, email: str, address: str):
        return (self.per_account, "account", _account_key(email)), (self.per_address, "address", address)

    def _seconds_left(self, limit: RateLimitItem, kind: str, key: str) -> int:
        reset_at = self.limiter.get_window_stats(limit, kind, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def _take_back(self, limit: RateLimitItem, kind: str, key: str) -> None:
        """Remove the newest entry of this moving window (limits has no call for it; see _remove_newest)."""
        try:
            _remove_newest(self.storage, limit.key_for(kind, key))
        except (AttributeError, KeyError, TypeError):
            # _remove_newest reads limits' internals; should another limits version keep them otherwise, the
            # attempt stays counted (a stricter limit, never a refused log-in) and the operator sees why.
            log.error(
                "log-in throttling cannot take an attempt back: the rate-limit storage is laid out differently", exc_info=True
            )


def _remove_newest(storage: Storage, key: str) -> None:
    # limits keeps a moving window as a list, newest first: in memory under a per-key lock, in Redis as
    # a list its Lua script pushes on the left. Taking the newest entry off is the inverse of one hit.
    if isinstance(storage, MemoryStorage):
        with storage.locks[key]:
            events = storage.events.get(key)
            if events:
                del events[0]
    elif isinstance(storage, RedisStorage):
        try:
            storage.get_connection().lpop(storage.prefixed_key(key))
        except storage.base_exceptions as exc:  # as limits' own calls report it
            raise StorageError(exc) from exc
    else:  # config.security_config admits only memory:// and Redis URLs
        raise TypeError(f"no way to take back an attempt in {type(storage).__name__}")


def _storage_down() -> None:
    # Fail open: with the shared store down nobody could log in at all. Passwords are still checked
    # (scrypt makes each guess slow), and the operator sees the error in the log.
    log.error("log-in throttling is off: the rate-limit storage cannot be reached", exc_info=True)


def _account_key(email: str) -> str:
    # Hashed so that a shared store (Redis) holds no e-mail addresses.
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


class ResetThrottle:
    """Limits "Passwort vergessen?" requests per e-mail address (no mail flood) and per client address.

    Every request counts, atomically (limits' hit), whether or not the account exists.
    """

    def __init__(self, storage: Storage, per_email: RateLimitItem, per_address: RateLimitItem):
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_email = per_email
        self.per_address = per_address

    def address_blocked(self, address: str) -> Blocked | None:
        """Count a request from this address; Blocked (with the wait) once the limit is used up."""
        try:
            if self.limiter.hit(self.per_address, "reset-address", address):
                return None
            reset_at = self.limiter.get_window_stats(self.per_address, "reset-address", address).reset_time
            return Blocked(max(1, math.ceil(reset_at - time.time())))
        except StorageError:
            _storage_down()
            return None

    def may_mail(self, email: str) -> bool:
        """Count a request for this e-mail address; False once its limit is used up (then no mail goes out)."""
        try:
            return self.limiter.hit(self.per_email, "reset-email", _account_key(email))
        except StorageError:
            _storage_down()
            return True


def register(app: Flask) -> None:
    config = app.config
    storage = storage_from_string(config["SELFEVAL_RATELIMIT_STORAGE"], key_prefix="selfeval-login", wrap_exceptions=True)
    app.extensions[EXTENSION] = LoginThrottle(
        storage, parse(config["SELFEVAL_LOGIN_LIMIT_ACCOUNT"]), parse(config["SELFEVAL_LOGIN_LIMIT_ADDRESS"])
    )
    app.extensions[RESET_EXTENSION] = ResetThrottle(
        storage, parse(config["SELFEVAL_RESET_LIMIT_EMAIL"]), parse(config["SELFEVAL_RESET_LIMIT_ADDRESS"])
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions[EXTENSION]


def reset_throttle() -> ResetThrottle:
    return current_app.extensions[RESET_EXTENSION]
