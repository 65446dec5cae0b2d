"""The implementation review's documents (the Annual Programme Progress Report, the donor grant
statements): built on click, then offered for download; a refusal said in a line."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rpsee.domain.roles import PermissionDenied
from rpsee.services import StoreError
from rpsee.ui.text import md

PDF = "application/pdf"


def offer(label: str, key: str, build: Callable[[], bytes], file_name: str) -> None:
    """A "Make" button for the document `label`; once made, its download button."""
    if st.button(f"Make the {label}", key=f"{key}_make", icon=":material/picture_as_pdf:"):
        try:
            with st.spinner(f"Making the {label}…"):
                st.session_state[key] = (file_name, build())
        except (PermissionDenied, StoreError) as exc:
            st.session_state.pop(key, None)
            st.info(md(str(exc)))
    made = st.session_state.get(key)
    if made and made[0] == file_name:
        st.download_button(f"Download the {label} (PDF)", made[1], file_name, PDF,
                           key=f"{key}_download", icon=":material/download:")  # fmt: skip
