"""One way to write a file size, precise enough near the limits (which are whole megabytes)."""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


def _scaled(n: int, unit: int, name: str) -> str:
    if n % unit == 0:
        return f"{n // unit} {name}"
    value = n / unit
    text = f"{value:.1f} {name}"
    # 10 MB and 10 MB + 1 byte both round to "10.0": near a whole unit (where every limit lies)
    # the exact byte count says which side of the limit the file is on.
    if abs(value - round(value)) < 0.05:
        return f"{text}（{n:,} 字节）"
    return text


def format_size(n: int | None) -> str:
    if n is None:
        return ""
    n = int(n)
    if n < KIB:
        return f"{n} 字节"
    if n < MIB:
        return _scaled(n, KIB, "KB")
    if n < GIB:
        return _scaled(n, MIB, "MB")
    return _scaled(n, GIB, "GB")

