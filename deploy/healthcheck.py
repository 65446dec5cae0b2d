#!/usr/bin/env python3
"""Container health check: Streamlit's `/_stcore/health` on this container's `PORT` answers
`ok` (exit 0), else exit 1 with the reason."""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8501')}/_stcore/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            body = response.read().strip()
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1
    if body != b"ok":
        print(f"{url} answered {body[:80]!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
