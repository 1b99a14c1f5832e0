"""What makes a password acceptable: long enough and not easy to guess (ASVS V2.1).

No composition rules (they make passwords worse, not better): at least 12 characters, and
zxcvbn, which knows the common passwords, names, words, keyboard runs and dates attackers
try first, must rate it at least "safely unguessable" (score 3 of 4), the account's own
email and name counting as guessable.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3


def weakness(password: str, *, email: str = "", full_name: str = "") -> str | None:
    """Why `password` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few words make a good password."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if _holds_own_identity(password, email=email, full_name=full_name):
        return "Do not build the password from your email address or name."
    own = [part for part in re.split(r"[\W_]+", f"{email} {full_name}".lower()) if part]
    rating = zxcvbn(password, user_inputs=own)
    if rating["score"] >= MIN_SCORE:
        return None
    hint = rating["feedback"].get("warning") or "It would be guessed quickly."
    return f"This password is too easy to guess. {hint.rstrip('.')}. Add a few more words."


def _squashed(text: str) -> str:
    """Lower-case letters and digits only: "Mina Murray" and "mina.murray" alike."""
    return re.sub(r"[\W_]+", "", text.lower())


def _holds_own_identity(password: str, *, email: str, full_name: str) -> bool:
    """Whether the password contains the account's email name or full name (4+ letters)."""
    squashed = _squashed(password)
    own = (_squashed(email.split("@")[0]), _squashed(full_name))
    return any(len(part) >= 4 and part in squashed for part in own)
