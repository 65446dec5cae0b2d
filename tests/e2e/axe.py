"""axe-core (bundled by axe-playwright-python) run on the page as it is, and the violations the
app answers for: serious or critical ones, and any heading-order gap (README, Accessibility).

Violations from Streamlit's own markup are excluded one by one, by rule and by the element the
rule flags (a CSS selector that element must match), each with its upstream issue in README.md:
the same rule on any other element still fails.
"""

from __future__ import annotations

from dataclasses import dataclass

IMPACTS = {"serious", "critical"}
ALSO = {"heading-order"}  # moderate for axe; the app's own pages choose their heading levels

# (rule, selector the flagged element matches): Streamlit's markup, see README, Accessibility.
UPSTREAM = (
    # st.navigation with sections: <ul> holds a <div> per section (its <header> and the <li>s).
    ("list", "ul[data-testid='stSidebarNavItems']"),
    ("listitem", "ul[data-testid='stSidebarNavItems'] > div > li"),
)

_MATCHES = """([target, selector]) => {
    const el = document.querySelector(target);
    return el !== null && el.matches(selector); }"""


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    target: str
    html: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) {self.target}: {self.html[:160]}"


def _upstream(page, rule: str, target: list) -> bool:  # noqa: ANN001
    if len(target) != 1:  # inside a frame: not one of the known upstream elements
        return False
    return any(
        rule == known and page.evaluate(_MATCHES, [target[0], selector])
        for known, selector in UPSTREAM
    )


def findings(page) -> list[Finding]:  # noqa: ANN001
    """The violations on the page now, but for the known upstream ones."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        rule, impact = violation["id"], violation["impact"]
        if impact not in IMPACTS and rule not in ALSO:
            continue
        for node in violation["nodes"]:
            if not _upstream(page, rule, node["target"]):
                found.append(Finding(rule, impact, " ".join(map(str, node["target"])),
                                     node["html"]))  # fmt: skip
    return found
