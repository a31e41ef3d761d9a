"""Accounts, their API tokens, team memberships and supervision scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..limits import MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH
from .types import UTCDateTime, utcnow


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(MAX_DISPLAY_NAME_LENGTH))
    #: scrypt hash (werkzeug.security); never the password itself. NULL until an invitee sets one.
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Random value in the session cookie instead of the id: replacing it ends all sessions.
    login_id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")
    scopes = relationship("UserScope", cascade="all, delete-orphan", order_by="UserScope.id")
    tokens = relationship("ApiToken", cascade="all, delete-orphan")
    password_links = relationship("PasswordLink", back_populates="user", cascade="all, delete-orphan")

    # The four members Flask-Login expects, without importing it into the persistence layer.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.login_id


class Membership(db.Model):
    """A user in a school's Team Digitalisierung."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    #: The Leitfaden requires at least one member of the Schulleitung in the team.
    is_leadership: Mapped[bool] = mapped_column(Boolean, default=False)

    user = relationship("User", back_populates="memberships")
    school = relationship("School", back_populates="memberships")


class UserScope(db.Model):
    """One area a supervisor or adviser is responsible for: a Kreis, a Bezirksregierung or a Schulform."""

    __tablename__ = "user_scopes"
    __table_args__ = (UniqueConstraint("user_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of roles.SCOPE_KINDS
    value: Mapped[str] = mapped_column(String(40))


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", back_populates="tokens")


class PasswordLink(db.Model):
    """A one-time link to set a password: an invitation, or a reset by an administrator."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the link's token; the token is in the link only and is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "invite" | "reset"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user = relationship("User", back_populates="password_links")
