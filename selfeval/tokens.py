"""Secrets handed out once (API tokens, password links, keys of unsaved input): made here, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """256 bits of randomness, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps instead of the token: SHA-256, enough for a random value (no salt, no slow hash needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
