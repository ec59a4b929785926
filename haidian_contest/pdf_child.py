"""The PDF renderer's child process: HTML in on stdin, PDF out on stdout, one document after another.

Started by haidian_contest/pdf.py as `python -P pdf_child.py` (no Django, nothing of the project on the
path), so WeasyPrint's memory – fonts, layout trees, caches that grow with each document and are never
handed back – lives and dies here and not in a web worker. The parent recycles this process after a few
documents or when it grows past a size; it exits by itself on end of input (the parent closed the pipe
or died) or after IDLE_SECONDS without work.

Frames, all lengths 8 bytes big-endian:
  in:  length, HTML (UTF-8)
  out: status byte (b"0" PDF, b"1" error text), resident size in kB after the render, length, payload
"""

import logging
import os
import select
import struct
import sys
import traceback

IDLE_SECONDS = float(os.environ.get("PDF_CHILD_IDLE_SECONDS", "120"))
HEAD = struct.Struct(">Q")


def rss_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def main() -> int:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML  # paid once per child, before the first document arrives
    from weasyprint.urls import URLFetcher

    # Documents carry their images as data: URIs and use installed fonts. Nothing else is fetched – not
    # from the server, the network or the disk – whatever a user typed into a document's text.
    data_only = URLFetcher(allowed_protocols=("data",), allow_redirects=False)

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        ready, _, _ = select.select([source], [], [], IDLE_SECONDS)
        if not ready:
            return 0  # idle: give the memory back; the parent starts a new child when it needs one
        head = read_exactly(source, HEAD.size)
        if head is None:
            return 0
        html = read_exactly(source, HEAD.unpack(head)[0])
        if html is None:
            return 0
        try:
            status, payload = b"0", HTML(string=html.decode("utf-8"), base_url=None,
                                         url_fetcher=data_only).write_pdf()
        except Exception:  # the parent turns it into a Chinese message; the trace is for the log
            status, payload = b"1", traceback.format_exc().encode("utf-8", "replace")
        sink.write(status + HEAD.pack(rss_kb()) + HEAD.pack(len(payload)) + payload)
        sink.flush()


if __name__ == "__main__":
    sys.exit(main())
