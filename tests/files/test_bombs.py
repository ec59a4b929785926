"""Issues 14 §2 and 25 §3: hostile files are refused before they cost memory or time.

Each bomb goes through what the worker runs (the roster reader, the photo and video checks) in a
fresh interpreter, whose peak resident memory (VmHWM, and that of ffmpeg/ffprobe it started) must
stay under 300 MB. Figures are printed (pytest -s) for the report, and a table of every file at
the end of the module.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import bombs

ROOT = Path(__file__).resolve().parent.parent.parent
PEAK_LIMIT_KB = 300 * 1024
# What one over-long cell may add to the worker: it is refused after a megabyte or two of its text.
CELL_HELD_LIMIT_KB = 32 * 1024
TABLE: list[tuple[str, int, dict]] = []  # (file, bytes, outcome) of every run, printed at the end

RUNNER = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidian_contest.settings")
import django
django.setup()
from haidian_contest import inspection
kind, path = sys.argv[1], sys.argv[2]
def rss(field):
    status = open("/proc/self/status").read()
    return int(next(line for line in status.splitlines() if line.startswith(field)).split()[1])
base = rss("VmRSS")  # the interpreter with Django loaded, before the file is touched
started = time.perf_counter()
message = ""
try:
    if kind == "sheet":
        from rosters.importing.columns import ROSTER_COLUMNS
        from rosters.importing.reading import WorkbookError, open_sheet
        try:
            sheet = open_sheet(path, ROSTER_COLUMNS)
            message = f"read {sum(1 for _ in sheet.rows)} rows"
        except WorkbookError as exc:
            message = "refused: " + str(exc)
    elif kind == "image":
        with open(path, "rb") as handle:
            inspection.inspect_image(handle)
        message = "accepted"
    elif kind == "video":
        inspection.inspect_video(path)
        message = "accepted"
    elif kind == "letter":  # the anonymous registration form's letter of authorisation
        from django.core.exceptions import ValidationError
        from django.core.files.uploadedfile import SimpleUploadedFile
        from accounts.registration import check_letter
        with open(path, "rb") as handle:
            letter = SimpleUploadedFile(os.path.basename(path), handle.read(), content_type="image/png")
        try:
            check_letter(letter)
            message = "accepted"
        except ValidationError as exc:
            message = "refused: " + " ".join(exc.messages)
except inspection.FileRefused as exc:
    message = "refused: " + str(exc)
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"message": message, "peak_kb": rss("VmHWM"), "base_kb": base, "children_kb": children,
                  "seconds": round(time.perf_counter() - started, 2)}))
"""


def run_worker(kind: str, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "haidian_contest.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", RUNNER, kind, str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\n{path.name} ({path.stat().st_size:,} bytes): {outcome}")
    TABLE.append((path.name, path.stat().st_size, outcome))
    return outcome


def assert_refused_cheaply(outcome: dict, *words: str) -> None:
    assert outcome["message"].startswith("refused: "), outcome["message"]
    for word in words:
        assert word in outcome["message"], outcome["message"]
    assert outcome["peak_kb"] < PEAK_LIMIT_KB, f"worker peaked at {outcome['peak_kb'] / 1024:.0f} MB"
    assert outcome["children_kb"] < PEAK_LIMIT_KB, f"ffmpeg peaked at {outcome['children_kb'] / 1024:.0f} MB"


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory):
    yield tmp_path_factory.mktemp("bombs")
    print(table())


def table() -> str:
    """file, size, outcome, peak RSS, seconds: the figures the issue's closing note reports."""
    lines = ["", "| file | size | outcome | peak RSS | seconds |", "|---|---|---|---|---|"]
    for name, size, outcome in TABLE:
        message = outcome["message"]
        short = message if len(message) <= 60 else message[:60] + "…"
        peak = max(outcome["peak_kb"], outcome["children_kb"]) / 1024
        lines.append(f"| {name} | {size / 1024 / 1024:,.1f} MB | {short} | {peak:.0f} MB | {outcome['seconds']} |")
    return "\n".join(lines)


def test_one_cell_of_a_gigabyte_of_text_is_refused_under_300_mb(bomb_dir):
    path = bombs.huge_cell_xlsx(bomb_dir / "名单.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    assert_refused_cheaply(run_worker("sheet", path), "压缩")


def test_a_million_rows_are_refused_under_300_mb(bomb_dir):
    path = bombs.million_rows_xlsx(bomb_dir / "百万行.xlsx")
    outcome = run_worker("sheet", path)
    assert_refused_cheaply(outcome, "至少有", "超过 200,000 行的上限")
    assert outcome["seconds"] < 30  # the reader itself held a worker for ~300 s


def test_a_cell_far_away_is_refused_under_300_mb(bomb_dir):
    assert_refused_cheaply(run_worker("sheet", bombs.far_cell_xlsx(bomb_dir / "远处.xlsx")), "1,048,576 行")


def test_cells_without_references_are_counted_as_the_reader_places_them(bomb_dir):
    outcome = run_worker("sheet", bombs.unreferenced_wide_xlsx(bomb_dir / "无引用.xlsx"))
    assert_refused_cheaply(outcome, "第 20,000 列")


def test_a_gigabyte_of_zeros_inside_the_zip_is_refused_under_300_mb(bomb_dir):
    path = bombs.padded_zip_xlsx(bomb_dir / "零.xlsx")
    assert_refused_cheaply(run_worker("sheet", path), "image1.bin", "压缩炸弹")


def test_an_ods_row_repeated_a_million_times_is_refused_under_300_mb(bomb_dir):
    path = bombs.repeated_rows_ods(bomb_dir / "重复行.ods")
    assert path.stat().st_size < 4096
    assert_refused_cheaply(run_worker("sheet", path), "1,048,001 行", "超过 200,000 行的上限")


def test_an_ods_cell_repeated_across_every_column_is_refused_under_300_mb(bomb_dir):
    path = bombs.repeated_columns_ods(bomb_dir / "重复列.ods")
    assert_refused_cheaply(run_worker("sheet", path), "16,384 列")


def test_an_xls_with_a_cell_in_its_last_row_and_column_is_refused_under_300_mb(bomb_dir):
    path = bombs.far_cell_xls(bomb_dir / "远处.xls")
    assert_refused_cheaply(run_worker("sheet", path), "65,536 行", "256 列")


def test_a_30000_pixel_square_png_is_refused_as_too_large_not_as_a_non_image(bomb_dir):
    outcome = run_worker("image", bombs.png_header(bomb_dir / "现场.png"))
    assert_refused_cheaply(outcome, "图片像素过多", "30000×30000")
    assert "不是可识别的图片" not in outcome["message"]


def test_a_registration_letter_of_900_megapixels_is_refused_under_300_mb(bomb_dir):
    outcome = run_worker("letter", bombs.png_header(bomb_dir / "授权委托书.png"))
    assert_refused_cheaply(outcome, "图片像素过多")


def test_a_truncated_png_registration_letter_is_refused(bomb_dir):
    import io

    from PIL import Image

    whole = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(whole, format="PNG")
    path = bomb_dir / "授权委托书-截断.png"
    path.write_bytes(whole.getvalue()[:74])  # the first 74 bytes of a real scan: a header and no picture
    assert_refused_cheaply(run_worker("letter", path))


def test_a_video_claiming_16000_pixel_frames_is_refused_before_decoding(bomb_dir):
    from tests.performance.media import require_ffmpeg

    require_ffmpeg()
    outcome = run_worker("video", bombs.huge_frame_video(bomb_dir / "决赛.mp4"))
    assert_refused_cheaply(outcome, "16000×16000", "8K")


def test_9000_sheets_each_just_under_the_sheet_limit_are_refused_by_their_number(bomb_dir):
    """Issue 25: the reader walked all 9,000 sheets for a header for 38 minutes, then said 未找到表头行."""
    path = bombs.many_sheets_xlsx(bomb_dir / "九千表.xlsx")
    assert path.stat().st_size < 3 * 1024 * 1024
    outcome = run_worker("sheet", path)
    assert_refused_cheaply(outcome, "工作簿含 9,000 个工作表，超过上限 10 个")
    assert outcome["seconds"] < 10


def test_an_ods_of_2000_sheets_is_refused_by_their_number(bomb_dir):
    outcome = run_worker("sheet", bombs.many_sheets_ods(bomb_dir / "两千表.ods"))
    assert_refused_cheaply(outcome, "个工作表，超过上限 10 个")
    assert outcome["seconds"] < 10


def test_an_xls_of_41_sheets_is_refused_by_their_number(bomb_dir):
    outcome = run_worker("sheet", bombs.many_sheets_xls(bomb_dir / "多表.xls"))
    assert_refused_cheaply(outcome, "工作簿含 41 个工作表，超过上限 10 个")


def test_ten_sheets_each_under_the_sheet_limit_are_refused_by_their_sum(bomb_dir):
    path = bombs.many_sheets_xlsx(bomb_dir / "十表.xlsx", sheets=10, far="Z90000")
    outcome = run_worker("sheet", path)
    assert_refused_cheaply(outcome, "合计至少达 7,020,000 个单元格", "超过 5,200,000 个单元格的上限")


def test_a_sheet_of_five_million_numbers_is_refused_under_300_mb(bomb_dir):
    """The reader needs ~70 bytes a cell while it loads a sheet: these 5.2 million took it to 436 MB."""
    outcome = run_worker("sheet", bombs.dense_numbers_xlsx(bomb_dir / "五百万数.xlsx"))
    assert_refused_cheaply(outcome, "至少达", "行 × 26 列", "超过 2,600,000 个单元格的上限")


def assert_held_briefly(outcome: dict) -> None:
    held = outcome["peak_kb"] - outcome["base_kb"]
    assert held < CELL_HELD_LIMIT_KB, f"the worker held {held / 1024:.0f} MB of the cell before refusing it"


def test_one_cell_of_250_mb_of_text_is_refused_before_it_is_held(bomb_dir):
    """Issue 25: a 26 MB file, not a zip bomb by its ratio; the worker reached 333 MB before refusing it."""
    path = bombs.one_huge_cell_xlsx(bomb_dir / "大单元格.xlsx")
    assert path.stat().st_size < 30 * 1024 * 1024
    outcome = run_worker("sheet", path)
    assert_refused_cheaply(outcome, "超过 32,767 个字符")
    assert_held_briefly(outcome)


def test_one_shared_string_of_250_mb_is_refused_before_it_is_held(bomb_dir):
    outcome = run_worker("sheet", bombs.huge_shared_string_xlsx(bomb_dir / "大共享字符串.xlsx"))
    assert_refused_cheaply(outcome, "超过 32,767 个字符")
    assert_held_briefly(outcome)


def test_eight_million_shared_strings_are_refused_before_the_reader_loads_them(bomb_dir):
    path = bombs.many_shared_strings_xlsx(bomb_dir / "八百万字符串.xlsx")
    assert path.stat().st_size < 25 * 1024 * 1024
    outcome = run_worker("sheet", path)
    assert_refused_cheaply(outcome, "共享字符串表至少含", "超过 2,000,000 个的上限")
    assert_held_briefly(outcome)


def test_a_real_roster_of_100000_rows_still_reads(bomb_dir):
    outcome = run_worker("sheet", bombs.roster_xlsx(bomb_dir / "十万行.xlsx", 100_000))
    assert outcome["message"] == "read 100000 rows"
    assert outcome["peak_kb"] < PEAK_LIMIT_KB
