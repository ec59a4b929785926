"""HTML → PDF in child processes, so that a web worker never holds WeasyPrint's memory.

WeasyPrint keeps what it allocates for a document (fonts, layout, caches) in the process after the
document is written: a gunicorn worker that rendered an application PDF sat at 325 MB and each meeting
minutes added ~65 MB (issue 25). Here each process (web worker, Celery worker, test run) keeps a small
pool of renderer children (pdf_child.py): WeasyPrint is imported once per child, so a document costs the
render plus a pipe round trip, not a Python start and an import (~1 s). A child is retired after
MAX_DOCUMENTS documents or when it has grown past MAX_RSS_KB, and leaves by itself after an idle spell,
so the memory goes back to the system; the parent never imports WeasyPrint.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from .pdf_child import HEAD

logger = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("pdf_child.py")
TIMEOUT_SECONDS = 120  # the largest document measured (500 winners' summary) takes a few seconds
MAX_CHILDREN = 2  # per process: a gthread worker serves two requests at once
MAX_DOCUMENTS = 50  # a new child's first document costs 1–4 s more (start, import, fonts)
MAX_RSS_KB = 250 * 1024

FAILED = "PDF 文件生成失败，请稍后重试；如仍失败，请联系系统管理员。"
TIMED_OUT = "PDF 文件生成超时（超过 {seconds} 秒），请稍后重试；如仍失败，请联系系统管理员。"
BUSY = "PDF 文件生成繁忙，请稍后重试。"


class RenderError(Exception):
    """The document could not be made; str() is the message for the user."""


class _Child:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-P", str(CHILD)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, close_fds=True)
        self.documents = 0
        self.rss_kb = 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def render(self, html: bytes, deadline: float) -> tuple[bytes, bytes]:
        self.process.stdin.write(HEAD.pack(len(html)) + html)
        self.process.stdin.flush()
        status = self._read(1, deadline)
        self.rss_kb = HEAD.unpack(self._read(HEAD.size, deadline))[0]
        payload = self._read(HEAD.unpack(self._read(HEAD.size, deadline))[0], deadline)
        self.documents += 1
        return status, payload

    def _read(self, size: int, deadline: float) -> bytes:
        fd, chunks = self.process.stdout.fileno(), []
        while size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the renderer exited")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self, *, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.process.stdin.close()  # end of input: the child finishes and exits
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            for pipe in (self.process.stdin, self.process.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass


class _Pool:
    def __init__(self):
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self.idle: list[_Child] = []
        self.slots = threading.BoundedSemaphore(MAX_CHILDREN)

    def _take(self) -> tuple[_Child, bool]:
        with self.lock:
            while self.idle:
                child = self.idle.pop()
                if child.alive():
                    return child, False
                child.close()  # it left after an idle spell
        return _Child(), True

    def _give_back(self, child: _Child) -> None:
        if child.documents >= MAX_DOCUMENTS or child.rss_kb > MAX_RSS_KB:
            child.close()
            return
        with self.lock:
            self.idle.append(child)

    def render(self, html: bytes) -> bytes:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        if not self.slots.acquire(timeout=TIMEOUT_SECONDS):
            raise RenderError(BUSY)
        try:
            for _attempt in range(2):
                child, fresh = self._take()
                try:
                    status, payload = child.render(html, deadline)
                except TimeoutError:
                    child.close(kill=True)
                    logger.error("PDF renderer timed out after %s s", TIMEOUT_SECONDS)
                    raise RenderError(TIMED_OUT.format(seconds=TIMEOUT_SECONDS)) from None
                except (OSError, EOFError, ValueError) as exc:
                    child.close(kill=True)
                    if not fresh:
                        continue  # it had left (idle) just as we wrote to it: once more with a new one
                    logger.error("PDF renderer failed: %r", exc)
                    raise RenderError(FAILED) from None
                self._give_back(child)
                if status != b"0":
                    logger.error("PDF renderer error:\n%s", payload.decode("utf-8", "replace"))
                    raise RenderError(FAILED)
                return payload
            raise RenderError(FAILED)
        finally:
            self.slots.release()

    def close(self) -> None:
        with self.lock:
            children, self.idle = self.idle, []
        for child in children:
            child.close()

    def pids(self) -> list[int]:
        with self.lock:
            return [c.process.pid for c in self.idle]


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _current_pool() -> _Pool:
    global _pool
    with _pool_lock:
        if _pool is None or _pool.owner != os.getpid():
            # A forked process must not share the parent's children (their pipes are the parent's).
            _pool = _Pool()
        return _pool


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML document (inline styles, images as data: URIs, installed fonts)."""
    return _current_pool().render(html.encode("utf-8"))


def idle_renderers() -> list[int]:
    """The pids of this process's waiting renderer children (for tests and the benchmark)."""
    return _current_pool().pids() if _pool is not None else []


def shutdown() -> None:
    if _pool is not None and _pool.owner == os.getpid():
        _pool.close()


atexit.register(shutdown)
