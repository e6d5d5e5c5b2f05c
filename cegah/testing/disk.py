"""A small filesystem of its own for a test of a full disk: a tmpfs mounted for the test's
length, where this machine lets the test mount one (root, or a container that allows it)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_filesystem(path: Path, *, kib: int) -> Iterator[Path]:
    """`path` as a filesystem of `kib` KiB; the test is skipped, saying why, where mounting is
    not permitted."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(  # noqa: S603 - fixed arguments
        ["/usr/bin/mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small filesystem cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["/usr/bin/umount", str(path)], check=False)  # noqa: S603


def fill(path: Path, *, leave_kib: int) -> None:
    """Fills the filesystem at `path` until about `leave_kib` KiB are free."""
    stats = os.statvfs(path)
    free = stats.f_bavail * stats.f_frsize
    (path / "filler").write_bytes(b"\0" * max(0, free - leave_kib * 1024))


def pdf_of(size: int) -> bytes:
    """A valid PDF of about `size` bytes: comment lines carry the bulk."""
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    line = b"% " + os.urandom(48).hex().encode() + b"\n"
    return head + line * (size // len(line)) + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_page(size: int) -> bytes:
    """A one-page PDF of about `size` bytes whose bulk is the page's own text: it survives a
    rewrite that strips metadata (the WBS attachments), which comment lines do not."""
    text = os.urandom(size // 2).hex().encode()
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
