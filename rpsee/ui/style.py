"""The app's own CSS for accessibility, injected once per run from app.py (README,
Accessibility).

- Captions: Streamlit draws them in the text colour at 60% opacity (about 4.2:1 on white);
  here they take a solid grey of 7.5:1 on white and 6.8:1 on the sidebar's background.
- Labels of disabled widgets (an observer's read-only controls): Streamlit fades them to 40%
  (2.4:1); here a grey of 6:1, still lighter than an enabled label's text.
- The login page's subtitle: an h2 (for the heading order), drawn at body size.
- The main area starts just under Streamlit's header bar (Streamlit leaves 6rem above the
  title): at 1280x720 the workplan grid shows ten rows above the fold.
- Focus: every focusable element shows a 3 px outline in the primary colour when focused from
  the keyboard (`:focus-visible`; 8.7:1 on white, well above the 3:1 WCAG 2.2 asks), set off
  by 2 px so it is never hidden by the element's own border or fill.

Colours of coloured text (`:orange[...]`) and of the alert boxes come from the theme in
.streamlit/config.toml; heading sizes too (a page's sections are `st.header`, h2, drawn at the
size Streamlit gives h3, so the heading order has no gap without the pages looking different).
"""

from __future__ import annotations

import streamlit as st

CAPTION_COLOUR = "#4a5568"
DISABLED_LABEL_COLOUR = "#5b6470"
FOCUS_COLOUR = "#1f4e79"  # the theme's primaryColor

STYLE = f"""<style>
[data-testid="stCaptionContainer"] {{color: {CAPTION_COLOUR} !important; opacity: 1 !important;}}
.stElementContainer:has(:disabled, [aria-disabled="true"]) label p {{
  color: {DISABLED_LABEL_COLOUR} !important;}}
.st-key-login_subtitle h2 {{font-size: 1.125rem !important; font-weight: 400 !important;
  padding-top: 0 !important;}}
[data-testid="stMainBlockContainer"] {{padding-top: 2.5rem;}}
*:focus-visible {{outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;}}
</style>"""


def inject() -> None:
    """Add the style to the page (an `st.html` block; no space taken in the layout)."""
    st.html(STYLE)
