"""Request and response bodies of the auth API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from hotgigs.auth import passwords
from hotgigs.auth.models import Role

PASSWORD_FIELD = Field(
    min_length=passwords.MIN_LENGTH,
    max_length=passwords.MAX_LENGTH,
    description="12 to 128 characters, not easy to guess (no common password, name or email)",
)


class UserRegister(BaseModel):
    """Self-registration: always creates a candidate account."""

    email: EmailStr
    full_name: str = Field(default="", max_length=200)
    password: str = PASSWORD_FIELD  # after email and name, which its check reads

    @field_validator("password")
    @classmethod
    def _hard_to_guess(cls, password: str, info: ValidationInfo) -> str:
        """Refuse passwords that are common or built from the account's own email or name."""
        email, name = info.data.get("email") or "", info.data.get("full_name") or ""
        if problem := passwords.weakness(password, email=email, full_name=name):
            raise PydanticCustomError("weak_password", problem)
        return password


class UserCreate(UserRegister):
    """An admin creating an account of any role."""

    role: Role = Role.RECRUITER


class UserUpdate(BaseModel):
    """An admin's change to an account (absent fields stay as they are)."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    is_active: bool | None = None
    full_name: str | None = Field(default=None, max_length=200)


# The answer to every registration, whether or not the email already had an account.
REGISTRATION_RECEIVED = (
    "Thank you. If this email had no account, a candidate account is ready: sign in with "
    "the email and password you chose. If it had one, nothing changed and its owner was told."
)


class RegistrationReceived(BaseModel):
    """The same answer for a new email and a taken one: it tells nobody who has an account."""

    email: str
    detail: str = REGISTRATION_RECEIVED


class UserRead(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime


class UserList(BaseModel):
    """The list envelope every collection uses."""

    items: list[UserRead]
    total: int
    next_cursor: str | None = None


class PasswordChange(BaseModel):
    """A signed-in user's new password, with the current one as proof."""

    current_password: str = Field(min_length=1, max_length=passwords.MAX_LENGTH)
    new_password: str = PASSWORD_FIELD


class PasswordReset(BaseModel):
    """An admin's new password for an account (the user should change it on next use)."""

    password: str = PASSWORD_FIELD


class LoginRequest(BaseModel):
    """Sign-in as JSON (the spec's clients send this; the OAuth2 form is the other way)."""

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    """A refresh token to trade for a new pair."""

    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(BaseModel):
    """OAuth2 bearer token response with a rotating refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
