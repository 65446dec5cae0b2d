"""requirements.lock pins, with hashes, every dependency pyproject.toml asks for (dev.py installs
only from the lock: a dependency added without `python3 dev.py lock` would be missing)."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from rpsee.config import ROOT


def pins() -> dict[str, tuple[Version, int]]:
    """name -> (pinned version, number of hashes) of every requirement in the lock."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found: dict[str, tuple[Version, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9._-]+)==([^\s\\;]+)", block)
        if head:
            found[canonicalize_name(head.group(1))] = (
                Version(head.group(2)), block.count("--hash=sha256:"),
            )  # fmt: skip
    return found


def test_every_dependency_is_pinned_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    wanted += [Requirement(r) for r in (ROOT / "requirements-build.in").read_text().splitlines()
               if r.strip() and not r.startswith("#")]  # fmt: skip
    locked = pins()
    assert len(locked) > 40
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is not in requirements.lock: run python3 dev.py lock"
        version, _hashes = locked[name]
        assert req.specifier.contains(version, prereleases=True), f"{req.name}=={version}"
    unhashed = [name for name, (_v, hashes) in locked.items() if hashes == 0]
    assert not unhashed, f"pins without a hash (pip --require-hashes refuses them): {unhashed}"
    assert locked["setuptools"][0] >= Version("78.1.1")  # not the venv default 65.5
