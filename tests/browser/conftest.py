"""Playwright against Debian's Chromium (no browser download: `playwright install` cannot run here)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def logout(page):
    page.click("[data-testid=role-badge]")
    page.get_by_role("button", name="退出登录").click()


@pytest.fixture
def files(tmp_path, settings):
    """What an organizer has on disk for the materials: 50 photos, the stamped report, the final's
    agenda, the signed agreement (PDFs) and a 21-minute video; uploads go to a private media root."""
    from tests.performance.media import PDF_BYTES, clip_path, jpeg_bytes

    settings.MEDIA_ROOT = str(tmp_path / "media")
    photos = tmp_path / "photos"
    photos.mkdir()
    data = jpeg_bytes(dpi=(300, 300))
    paths = []
    for n in range(1, 51):
        path = photos / f"现场{n:02d}.jpg"
        path.write_bytes(data)
        paths.append(str(path))
    named = {"stamped": "竞赛总结报告（盖章）.pdf", "agenda": "决赛议程.pdf", "agreement": "合作协议.pdf"}
    for name in named.values():
        (tmp_path / name).write_bytes(PDF_BYTES)
    return {"photos": paths, "video": str(clip_path(1260)), "dir": tmp_path,
            **{key: str(tmp_path / name) for key, name in named.items()}}
