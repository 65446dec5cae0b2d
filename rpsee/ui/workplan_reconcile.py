"""Pending grid edits that the stored plan already holds: found on the next run, whatever
point the run that saved them reached.

Streamlit stops a run at any widget or session-state call when the browser sends a newer event
(the editor sends its cells again a moment after each edit), so the run that saved the draft
can stop after the database write but before it drops the draft and the snapshot. The next run
then compares the draft with the stored lines: what is already stored is no longer pending."""

from __future__ import annotations

from dataclasses import dataclass, field

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_rules import Codebook
from rpsee.ui.workplan_grid import DELETE, Draft, is_blank_line, parse_line, record


@dataclass
class Reconciled:
    """The snapshot with the lines found saved brought up to date, and what was found saved:
    `changed` and `removed` line codes, `added` the codes the stored plan gave new lines."""

    lines: list[Activity]
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    @property
    def rows_changed(self) -> bool:
        """Lines came or went: the editor's rows are not the ones it was drawn with."""
        return bool(self.added or self.removed)


def saved_text(changed: int, added: list[str], removed: int) -> str:
    """`Saved: 1 changed, 0 added, 0 removed.` (the first five new lines' codes named)."""
    codes = ", ".join(added[:5]) + ("…" if len(added) > 5 else "")
    return (f"Saved: {changed} changed, {len(added)} added{f' ({codes})' if codes else ''}, "
            f"{removed} removed.")  # fmt: skip


def _content(rec: dict, ref: ProgrammeReference, book: Codebook) -> tuple | None:
    activity, errors = parse_line(rec, ref, book, "Row")
    return None if activity is None or errors else activity.content()


def _edits(line: Activity, cells: dict, ref: ProgrammeReference, book: Codebook) -> bool:
    """Whether these cells (a Delete tick aside) change `line`."""
    mine = {k: v for k, v in cells.items() if k != DELETE}
    return _content({**record(line, ref), **mine}, ref, book) != line.content()


def reconcile(draft: Draft, lines: list[Activity], stored: list[Activity],
              ref: ProgrammeReference, year: int) -> Reconciled:  # fmt: skip
    """Drop from `draft` every pending edit of `lines` (the snapshot) that `stored` already
    holds, and bring those lines of the snapshot up to date. Only a whole line is settled: a
    changed line once all its edited cells read as stored, a removed line once it is gone, a
    new line once a line added since the snapshot has exactly its content. Cells that change
    nothing against the snapshot (the browser keeps showing cells it sent before) are left
    alone; so is any line with one cell still unsaved (the save checks it)."""
    book = Codebook.for_year(ref, year)
    by_id = {a.id: a for a in stored}
    cells = draft["cells"]
    out = Reconciled([])
    for line in lines:
        now, edits = by_id.get(line.id), cells.get(line.code)
        if not edits or (now is not None and now.version == line.version):
            out.lines.append(line)
        elif now is None:
            if edits.get(DELETE):
                del cells[line.code]
                out.removed.append(line.code)
            else:
                out.lines.append(line)  # a colleague removed it: the save reports it
        elif not edits.get(DELETE) and _edits(line, edits, ref, book) and not _edits(
                now, edits, ref, book):  # fmt: skip
            del cells[line.code]  # a pending edit, and the stored line holds it
            out.lines.append(now)
            out.changed.append(line.code)
        else:
            out.lines.append(line)
    known = {a.id for a in lines}
    since = [a for a in stored if a.id not in known]  # lines added since the snapshot
    kept = []
    for rec in draft["new"]:
        content = None if rec.get(DELETE) or is_blank_line(rec, ref) else _content(rec, ref,
                                                                                     book)
        match = next((a for a in since if content is not None and a.content() == content),
                     None)  # fmt: skip
        if match is None:
            kept.append(rec)
        else:
            since.remove(match)
            out.lines.append(match)
            out.added.append(match.code)
    draft["new"][:] = kept
    out.lines.sort(key=lambda a: a.code)  # as the store lists them
    return out
