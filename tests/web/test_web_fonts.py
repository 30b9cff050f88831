"""The pages' web fonts: served from their one copy in lib/fonts (Noto Sans as the PDFs embed
it; the Hangul web font made from the PDFs' NanumGothic by scripts/font-hangul-web), as fonts,
under a policy that allows fonts from this site only; the stylesheet names each one."""

import importlib.machinery
import importlib.util
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from safepassage.lib.pdf import FONT_DIR

ROOT = Path(__file__).resolve().parents[2]
CSS = Path(finders.find("web/safepassage.css"))
FONTS = {
    "SafepassageHangul.woff": "font/woff",
    "NotoSans-Regular.ttf": "font/ttf",
    "NotoSans-Bold.ttf": "font/ttf",
}


@pytest.mark.parametrize("name", FONTS)
def test_each_font_is_served_as_a_font_from_lib(client, name):
    response = client.get(f"/static/web/fonts/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == FONTS[name]
    assert b"".join(response.streaming_content) == (FONT_DIR / name).read_bytes()
    assert Path(finders.find(f"web/fonts/{name}")) == FONT_DIR / name  # no second copy


def test_the_stylesheet_loads_each_font_when_needed_and_swaps_it_in():
    css = CSS.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*\{(.*?)\}", css, re.S)
    assert {re.search(r'url\("fonts/([^"]+)"\)', face).group(1) for face in faces} == set(FONTS)
    for face in faces:
        assert "font-display: swap" in face and "unicode-range:" in face
    hangul = next(face for face in faces if "Hangul" in face)
    assert "U+AC00-D7AF" in hangul and "U+0000" not in hangul  # fetched for Hangul only
    assert re.search(r'font-family:[^;]*"safepassage", sans-serif;', css)


def test_the_policy_allows_fonts_from_this_site_only(client):
    header = client.get("/login/")["Content-Security-Policy"]
    assert "font-src 'self';" in header + ";"


def test_the_hangul_web_font_is_what_the_script_makes_from_the_pdfs_font(tmp_path):
    path = ROOT / "scripts" / "font-hangul-web"
    loader = importlib.machinery.SourceFileLoader("font_hangul_web", str(path))
    script = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(script)
    script.make(tmp_path / "made.woff")
    assert (tmp_path / "made.woff").read_bytes() == (
        FONT_DIR / "SafepassageHangul.woff"
    ).read_bytes()
