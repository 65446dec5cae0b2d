"""The Steering Committee approval pack as a PDF (reportlab): `render(pack) -> bytes`."""

from rpsee.reports.pack.document import render

__all__ = ["render"]
