"""Video: the length that counts is the length that decodes, not what the container's header says.

ffprobe reads the header (streams, frame size, claimed length); ffmpeg then decodes the video
stream to its end. A truncated file keeps its header's "20 minutes" but stops decoding early.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass

from .errors import FileRefused
from .limits import Limits, current

# Width × height × frames decoded in full (a few seconds of work); longer HD videos are demuxed to
# the end and their keyframes decoded, which finds a truncated or broken stream in seconds.
FULL_DECODE_PIXEL_FRAMES = 200_000_000
UNREADABLE = "无法从文件中读取视频时长，请确认上传的是完整的视频文件。"


@dataclass(frozen=True)
class VideoFacts:
    seconds: float  # the decoded length
    claimed_seconds: float
    width: int
    height: int


def available() -> bool:
    return bool(shutil.which("ffprobe") and shutil.which("ffmpeg"))


def _minutes(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60} 分 {whole % 60} 秒"


def _probe(path: str, timeout: int) -> dict:
    try:
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FileRefused(UNREADABLE) from exc
    if result.returncode != 0:
        raise FileRefused(UNREADABLE)
    try:
        return json.loads(result.stdout or "{}")
    except json.JSONDecodeError as exc:
        raise FileRefused(UNREADABLE) from exc


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 and number == number and number != float("inf") else None


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FileRefused(
            f"视频检查超过 {timeout // 60} 分钟仍未完成，无法确认其完整；请压缩后重新上传，或交由工作人员放入视频存档目录。"
        ) from exc
    except OSError as exc:
        raise FileRefused(UNREADABLE) from exc


def _decode(path: str, timeout: int, keyframes_only: bool) -> tuple[int, float]:
    """(frames decoded, end time of the last one) of the first video stream, decoded to the end."""
    skip = ["-skip_frame", "nokey"] if keyframes_only else []
    result = _run(["ffmpeg", "-v", "error", "-nostdin", *skip, "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn",
                   "-f", "null", "-progress", "pipe:1", "-"], timeout)
    frames, end = 0, 0
    for line in result.stdout.splitlines():
        key, _, value = line.partition("=")
        if key in ("frame", "out_time_us") and value.strip().isdigit():
            if key == "frame":
                frames = max(frames, int(value))
            else:
                end = max(end, int(value))
    return frames, end / 1_000_000


def _packets(path: str, timeout: int) -> tuple[int, float]:
    """(keyframe packets, end time of the last packet) of the first video stream: demuxed, not decoded."""
    result = _run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                   "packet=pts_time,duration_time,flags", "-of", "csv=p=0", path], timeout)
    keyframes, end = 0, 0.0
    for line in result.stdout.splitlines():
        parts = line.split(",")
        if len(parts) < 3:
            continue
        start, length = _number(parts[0]), _number(parts[1]) or 0.0
        if start is not None:
            end = max(end, start + length)
        keyframes += "K" in parts[2]
    return keyframes, end


def _decoded_seconds(path: str, video: dict, claimed: float, limits: Limits) -> float:
    """How far the video really plays. Small videos are decoded frame by frame; a long HD video
    (hours of decoding on the server) is demuxed to its last packet and every keyframe decoded."""
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    frames = _number(video.get("nb_frames"))
    if not frames:
        rate = video.get("avg_frame_rate") or "0/1"
        num, _, den = rate.partition("/")
        frames = claimed * ((_number(num) or 0) / (_number(den) or 1))
    timeout = limits.video_decode_seconds
    if width * height * frames <= FULL_DECODE_PIXEL_FRAMES:
        return _decode(path, timeout, keyframes_only=False)[1]
    keyframes, packet_end = _packets(path, timeout)
    decoded_keyframes, keyframe_end = _decode(path, timeout, keyframes_only=True)
    if decoded_keyframes < keyframes:
        return keyframe_end  # the stream stops decoding at its first broken keyframe
    return packet_end


def inspect_video(path, limits: Limits | None = None) -> VideoFacts:
    limits = limits or current()
    if not available():
        raise FileRefused("服务器未安装 ffmpeg，无法读取视频时长，请联系管理员。")
    data = _probe(str(path), timeout=120)
    streams = data.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")), None)
    if video is None:
        raise FileRefused(UNREADABLE)  # an audio file or a renamed document is not a video
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if width * height > limits.video_pixels:
        raise FileRefused(
            f"视频画面尺寸为 {width}×{height}，超过 8K（{limits.video_pixels:,} 像素）的上限，不是正常的视频文件。"
        )
    candidates = [_number(video.get("duration")), _number((data.get("format") or {}).get("duration"))]
    claimed = next((c for c in candidates if c), None)
    if not claimed:
        raise FileRefused(UNREADABLE)
    decoded = _decoded_seconds(str(path), video, claimed, limits)
    # A frame or two of slack, and the container's rounding.
    if decoded < claimed - max(1.0, claimed * 0.002):
        if decoded <= 0:
            raise FileRefused(f"视频文件已损坏：文件头标称时长 {_minutes(claimed)}，但无法解码出任何画面。请上传完整的视频文件。")
        raise FileRefused(
            f"视频文件不完整：文件头标称时长 {_minutes(claimed)}，但只能解码到 {_minutes(decoded)}"
            "（文件可能未传完或已截断）。请上传完整的视频文件。"
        )
    return VideoFacts(seconds=min(decoded, claimed) if decoded else claimed, claimed_seconds=claimed,
                      width=width, height=height)
