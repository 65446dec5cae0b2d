"""Fewer glibc malloc arenas for the server process.

Streamlit runs every session's page in a thread of its own, and glibc gives threads up to
8 × cores malloc arenas. Under a meeting's load the freed memory stays spread over them: with
30 sessions the server's resident memory kept rising (+16% in 30 minutes) while Python's own
allocations were flat apart from the bounded caches (tracemalloc). Two arenas, set before the
server starts its threads, keep it close to what Python holds (measured: 10 sessions, 3,000
changes: +60 MB with the default, +27 MB with two arenas; README, Benchmarks).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
ARENAS = 2


def limit(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas at `arenas` for this process, unless MALLOC_ARENA_MAX is set
    (the operator's choice stands). True if the cap was set; False on other C libraries."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))
