"""Receipts and guides read back with poppler and zbar: embedded fonts, Chinese text, QR."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from kiosk.documents import PrivacyError, render
from kiosk.documents.fonts import FontError, cjk_font
from kiosk.documents.layout import Metrics, PageSpec, wrap
from kiosk.documents.model import ApplicationReceipt, JobSlip, PolicyGuide
from kiosk.documents.samples import DEMO_POLICIES, DEMO_STATION, SAMPLE_TOKEN, sample

BASE = "https://lexy.xiqing.example/t/"
URL = BASE + SAMPLE_TOKEN
WIDTHS = ("80", "58", "a4")
KINDS = ("application", "job", "signup", "registration", "callback", "visit", "guide", "test")
EXPECTED_TEXT = {
    "application": ["申请回执", "SQ-YLQ01-261126-4F7K", "李*兰", "120111********1234",
                    "以审核结果为准", "灵活就业人员社会保险补贴", "xq-2026.11-r3"],
    "job": ["职位信息", "仓储物流分拣员", "请联系服务站就业红娘"],
    "signup": ["报名回执", "3个工作日内"],
    "registration": ["求职登记回执", "139****0021"],
    "callback": ["呼叫回执", "137****4410"],
    "visit": ["排队凭条", "A023"],
    "guide": ["办事指南", "申请条件", "所需材料", "办理地点", "一次性创业补贴"],
    "test": ["打印测试页"],
}


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (scripts/setup.sh test installs it)")
    return path


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("documents")
    out = {}
    for kind in KINDS:
        for width in WIDTHS:
            path = folder / f"{kind}-{width}.pdf"
            path.write_bytes(render(sample(kind), width=width, qr_base_url=BASE))
            out[kind, width] = path
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_fonts_embedded_text_extractable_and_qr_decodes(
        rendered: dict[tuple[str, str], Path], kind: str, width: str) -> None:
    pdf = rendered[kind, width]
    fonts = _run(_need("pdffonts"), str(pdf)).splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert "WenQuanYiMicroHei" in line, line
        assert " yes yes yes " in line, f"font not embedded as a subset: {line}"
        assert "CID" not in line and "Type 0" not in line, line
    text = re.sub(r"\s+", "", _run(_need("pdftotext"), "-layout", str(pdf), "-"))
    for expected in EXPECTED_TEXT[kind]:
        assert expected in text, f"{expected!r} missing from {kind}/{width}"
    assert "Helvetica" not in pdf.read_bytes().decode("latin-1")
    png_root = pdf.with_suffix("")
    _run(_need("pdftoppm"), "-r", "203", "-mono", "-png", "-f", "1", "-l", "9", str(pdf),
         str(png_root))
    pages = sorted(pdf.parent.glob(f"{png_root.name}-*.png"))
    decoded = subprocess.run([_need("zbarimg"), "--raw", "-q", *map(str, pages)],
                             capture_output=True, text=True, timeout=60).stdout.split()
    assert decoded == [URL]


def test_no_full_id_number_or_employer_phone_in_any_document(
        rendered: dict[tuple[str, str], Path]) -> None:
    for pdf in rendered.values():
        text = _run(_need("pdftotext"), str(pdf), "-")
        assert not re.search(r"\d{17}[\dXx]", text)
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_thermal_page_grows_with_content_and_stays_on_dot_grid() -> None:
    short = render(sample("visit"), width="80", qr_base_url=BASE)
    long = render(sample("application"), width="80", qr_base_url=BASE)
    from kiosk.documents.raster import page_size_pt

    (w1, h1), (w2, h2) = page_size_pt(short), page_size_pt(long)
    assert round(w1 / 72 * 25.4) == 80 == round(w2 / 72 * 25.4)
    assert h2 > h1 > 200
    dot = PageSpec.for_width("80").dot
    assert abs(h2 / dot - round(h2 / dot)) < 1e-3


def test_a4_guide_paginates_with_page_numbers(tmp_path: Path) -> None:
    many = [dict(p, name=f"{p['name']}（{i}）") for i in range(6) for p in DEMO_POLICIES]
    guide = PolicyGuide(policies=many, station=DEMO_STATION, printed_at=datetime(2026, 1, 5),
                        token=SAMPLE_TOKEN)
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(render(guide, width="a4", qr_base_url=BASE))
    info = _run(_need("pdfinfo"), str(pdf))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= 3
    text = re.sub(r"\s+", "", _run(_need("pdftotext"), str(pdf), "-"))
    assert f"第1页/共{pages}页" in text
    assert "一次性创业补贴（5）" in text


def test_guide_entry_without_name_is_a_clear_error() -> None:
    guide = PolicyGuide(policies=[{"summary": "x"}], station=DEMO_STATION,
                        printed_at=datetime(2026, 1, 5))
    with pytest.raises(ValueError, match="entry 1 has no name"):
        render(guide, width="a4", qr_base_url=BASE)


def test_privacy_guard_refuses_a_full_id_number() -> None:
    good = sample("application")
    assert isinstance(good, ApplicationReceipt)
    for field in ("id_masked", "name_masked", "where_to_go"):
        bad = ApplicationReceipt(**{**good.__dict__, field: "证件 12011119800101123X"})
        with pytest.raises(PrivacyError, match="ID-number"):
            render(bad, width="80", qr_base_url=BASE)
    with pytest.raises(PrivacyError):
        render(good, width="80", qr_base_url=BASE + "120111198001011234/")


def test_privacy_guard_refuses_raw_phone_and_non_opaque_token() -> None:
    job = sample("job")
    assert isinstance(job, JobSlip)
    with pytest.raises(PrivacyError, match="mobile"):
        render(JobSlip(**{**job.__dict__, "requirements": ["电话13812345678"]}), width="58",
               qr_base_url=BASE)
    with pytest.raises(PrivacyError, match="token"):
        render(JobSlip(**{**job.__dict__, "token": "李四"}), width="80", qr_base_url=BASE)


def test_a_registered_cid_font_stops_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    cjk_font()
    monkeypatch.setitem(pdfmetrics._fonts, "STSong-Light", UnicodeCIDFont("STSong-Light"))
    with pytest.raises(FontError, match="CID"):
        render(sample("visit"), width="80", qr_base_url=BASE)


def test_unknown_width_is_refused() -> None:
    with pytest.raises(ValueError, match="80, 58, a4"):
        render(sample("visit"), width="76", qr_base_url=BASE)


@pytest.mark.parametrize("width", ["80", "58"])
def test_wrapping_never_exceeds_the_line(width: str) -> None:
    spec = PageSpec.for_width(width)
    metrics = Metrics(cjk_font())
    text = ("请于办理期限内携带以上材料，到西青区政务服务中心二楼人社窗口办理。"
            "https://lexy.xiqing.example/a/very/long/path/that/does/not/fit/anywhere "
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ（括号）：结束。"
            "或在自助机上点“我要报名”。或在自助机上点“我要报名”。或在自助机上点“我要报名”。")
    for line_w in [spec.content_w, *range(40, int(spec.content_w), 3)]:
        lines = wrap(text, metrics, spec.body, line_w)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert metrics.text(line, spec.body) <= line_w + 0.01, (line_w, line)
            assert not line.startswith(("，", "。", "）", "：", "”")), (line_w, line)
