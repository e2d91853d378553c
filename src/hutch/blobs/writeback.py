"""Start the kernel writing a file range to disk now, so the fsync at commit finds little left to do.

A blob written at network speed leaves its bytes as dirty pages; without a hint the kernel writes them
only when the commit's fsync asks, and the client waits for the whole object to reach the disk (half a
second per GiB here). Linux's sync_file_range(SYNC_FILE_RANGE_WRITE) queues a range for writing without
waiting and without touching metadata, so the disk works while the rest of the upload still arrives.
It promises nothing about durability: commit still fsyncs. Python's os module lacks the call, hence
ctypes (loaded on the first large write, so servers that never see one do not carry it); elsewhere, or
if the call fails, this does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

_SYNC_FILE_RANGE_WRITE = 2


@cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    found: Callable[[int, int, int, int], int] = function
    return found


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to begin writing ``length`` bytes at ``offset`` of ``fd``; never waits for them."""
    call = _sync_file_range()
    if call is not None and length > 0:
        # A failure (a filesystem without it, say) only means the fsync at commit does all the work.
        call(fd, offset, length, _SYNC_FILE_RANGE_WRITE)
