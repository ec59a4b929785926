"""Every PDF is made by documents.render_pdf in a renderer child process (haidian_contest/pdf.py): the
calling process never loads WeasyPrint, the renderer fetches nothing, children are recycled and never
outlive their parent, and a document that cannot be made is a Chinese message, not a 500."""

import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from haidian_contest import documents, pdf
from tests.lifecycle import build_application

ROOT = Path(__file__).resolve().parent.parent


def _locmem(**templates):
    return override_settings(TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", templates)]},
    }])


def _alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except OSError:
        return False
    return "Z" not in state.split()[1]


def test_render_pdf_works_in_a_process_that_cannot_import_weasyprint(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # any import of it here raises ImportError
    with _locmem(**{"doc.html": "<html><body><h1>{{ title }}</h1></body></html>"}):
        content = documents.render_pdf("doc.html", {"title": "立项通知书"})
    assert content.startswith(b"%PDF-")


def test_the_renderer_fetches_nothing_from_a_server():
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = (f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
            f'<body><img src="{base}/logo.png"><img src="file:///etc/hostname">正文</body></html>')
    try:
        with _locmem(**{"doc.html": page}):
            content = documents.render_pdf("doc.html", {})
    finally:
        server.shutdown()
        server.server_close()
    assert content.startswith(b"%PDF-")
    assert requests == []


def test_a_renderer_is_reused_then_retired_after_its_share_of_documents(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_DOCUMENTS", 2)
    pdf.shutdown()
    pids = []
    for _ in range(3):
        assert pdf.html_to_pdf("<p>一页</p>").startswith(b"%PDF-")
        pids.append(pdf.idle_renderers())
    first = pids[0][0]
    assert pids[0] == [first]  # kept for the next document
    assert pids[1] == []  # its second document was its last
    wait = time.monotonic() + 10
    while _alive(first) and time.monotonic() < wait:
        time.sleep(0.05)
    assert not _alive(first)
    assert pids[2] and pids[2][0] != first


def test_a_renderer_that_grew_past_its_size_is_retired(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_RSS_KB", 1)
    pdf.shutdown()
    pdf.html_to_pdf("<p>一页</p>")
    assert pdf.idle_renderers() == []


def test_renders_from_many_threads_at_once_each_get_their_document():
    results, errors = {}, []

    def make(n):
        try:
            results[n] = pdf.html_to_pdf(f"<p>第{n}份</p>")
        except Exception as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=make, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and len(results) == 6
    assert all(r.startswith(b"%PDF-") for r in results.values())
    assert len(pdf.idle_renderers()) <= pdf.MAX_CHILDREN


def test_a_render_over_the_time_limit_is_a_chinese_error_and_the_renderer_is_killed(monkeypatch):
    pdf.shutdown()
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 0.01)
    with pytest.raises(pdf.RenderError, match="PDF 文件生成超时"):
        pdf.html_to_pdf("<p>一页</p>" * 2000)
    assert pdf.idle_renderers() == []


@pytest.mark.django_db
def test_a_pdf_that_cannot_be_made_is_a_page_with_the_reason_not_a_500(client, organizer, monkeypatch):
    application = build_application(organizer)
    client.force_login(organizer)
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 0.01)
    response = client.get(reverse("applications:export_pdf", args=[application.pk]))
    assert response.status_code == 503
    assert "PDF 文件生成超时" in response.content.decode()


@pytest.mark.parametrize("ending", ["exit", "kill"])
def test_no_renderer_outlives_the_process_that_started_it(ending):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from haidian_contest import pdf
        assert pdf.html_to_pdf("<p>一页</p>").startswith(b"%PDF-")
        print(pdf.idle_renderers()[0], flush=True)
        if {ending!r} == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    child = int(out.stdout.split()[0])
    wait = time.monotonic() + 10
    while _alive(child) and time.monotonic() < wait:
        time.sleep(0.05)
    assert not _alive(child)


def test_images_given_as_data_uris_are_drawn():
    import base64
    import io

    import pypdf
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(png, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    content = pdf.html_to_pdf(f'<img src="{uri}" style="width: 2cm">')
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages[0].images) == 1
