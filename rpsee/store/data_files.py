"""Read the programme's reference data from the YAML files in `data/`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from rpsee.config import DATA_DIR
from rpsee.domain.markers.book import MarkerBook, MarkerDataError, load_book
from rpsee.domain.reference import ProgrammeReference, build_reference

REFERENCE_FILES = (
    "thematic_areas",
    "jurisdictions",
    "offices",
    "positions",
    "donors",
    "cost_categories",
    "risks",
    "money",
    "envelope",
)


class DataFileError(ValueError):
    """A reference data file is missing or malformed; the message names the file."""


# libyaml's parser when PyYAML was built with it (the wheels are): the same safe constructor, the
# parsing about ten times faster (start-up reads every data file on a fresh database).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml's parser when available."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506  (a safe loader)


def read_documents(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for stem in REFERENCE_FILES:
        path = data_dir / f"{stem}.yaml"
        try:
            content = parse_yaml(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataFileError(f"Missing reference data file {path}") from None
        except yaml.YAMLError as exc:
            raise DataFileError(f"{path} is not valid YAML: {exc}") from None
        if not isinstance(content, dict):
            raise DataFileError(f"{path} must hold a mapping at the top level")
        docs[stem] = content
    return docs


def load_reference(data_dir: Path = DATA_DIR) -> ProgrammeReference:
    docs = read_documents(data_dir)
    try:
        ref = build_reference(docs)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"Reference data in {data_dir} is incomplete: {exc!r}") from exc
    return replace(ref, markers=load_markers(tuple(o.code for o in ref.outputs), data_dir))


MARKERS_FILE, SDG_TARGETS_FILE = "markers.yaml", "sdg_targets.yaml"
_markers: dict[tuple[Any, ...], MarkerBook] = {}


def load_markers(outputs: tuple[str, ...], data_dir: Path = DATA_DIR) -> MarkerBook:
    """The marker settings (data/markers.yaml, data/sdg_targets.yaml), read again only when a
    file changed; a wrong entry is refused naming it."""
    paths = (data_dir / MARKERS_FILE, data_dir / SDG_TARGETS_FILE)
    key = (outputs, *((p, p.stat().st_mtime_ns) for p in paths if p.exists()))
    book = _markers.get(key)
    if book is None:
        try:
            book = load_book(read_yaml(MARKERS_FILE, data_dir),
                             read_yaml(SDG_TARGETS_FILE, data_dir), outputs)  # fmt: skip
        except MarkerDataError as exc:
            raise DataFileError(f"{paths[0]}: {exc}") from None
        _markers[key] = book
    return book


def read_yaml(relative: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Any other data file (planning defaults, demo data), as a mapping."""
    path = data_dir / relative
    try:
        content = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"Missing data file {path}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(content, dict):
        raise DataFileError(f"{path} must hold a mapping at the top level")
    return content
