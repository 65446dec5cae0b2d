"""Backup and restore of the whole database (operators, from the command line).

A backup's SHA-256 checksums detect accidental damage (truncation, corruption), not tampering:
they are not signed, so keep backup files where only the operators can write them."""

from __future__ import annotations

from pathlib import Path

from rpsee import config
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.store import backup as store
from rpsee.store.backup import BackupError, Manifest

__all__ = ["BackupError", "Manifest", "backup", "restore", "describe"]

describe = store.describe


def backup(user: CurrentUser, out: Path, url: str | None = None) -> Manifest:
    """A consistent snapshot of every table in `out` (it holds password hashes: owner-only)."""
    require(user, Permission.MANAGE_USERS)
    return store.write(url or config.database_url(), out)


def restore(user: CurrentUser, path: Path, force: bool = False, url: str | None = None) -> Manifest:
    """Replace the database's contents with a backup's, whole or not at all."""
    require(user, Permission.MANAGE_USERS)
    url = url or config.database_url()
    config.secure_database_file(url)  # a new SQLite file is created owner-only
    return store.restore(url, path, force=force)
