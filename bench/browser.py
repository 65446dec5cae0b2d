"""Where Chromium is and how to start it here (shared by the benchmarks and the browser tests)."""

import os

CHROMIUM = os.environ.get("RPSEE_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
