"""bcrypt hashing (cost from RPSEE_BCRYPT_ROUNDS, default 12; tests lower it for speed)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache

import bcrypt


def _rounds() -> int:
    return max(4, min(16, int(os.environ.get("RPSEE_BCRYPT_ROUNDS", "12"))))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_rounds())).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    if len(password.encode("utf-8")) > 72:  # bcrypt's limit: such a password was never set
        bcrypt.checkpw(b"", unmatchable_hash().encode("ascii"))  # same time as any refusal
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


@lru_cache(maxsize=1)
def unmatchable_hash() -> str:
    """A valid bcrypt hash of a random secret nobody knows: stands in for locked accounts and
    unknown names, at the same cost as real hashes so a refusal takes as long as a wrong
    password."""
    return bcrypt.hashpw(secrets.token_bytes(24), bcrypt.gensalt(_rounds())).decode("ascii")
