"""A font with Chinese glyphs for figures in Chinese, found on the machine, or a clear error.

The search order: the file named by ``CONSORTIUM_CJK_FONT``; fonts matplotlib already
knows; then the system's font folders scanned afresh (matplotlib caches its font list, so
a font installed after that cache was built is otherwise missed). A font counts only if
it has a glyph for every character asked for, so figures never show boxes.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

# Families known to cover simplified Chinese, preferred in this order.
KNOWN = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
INSTALL_HINT = (
    "install one (Debian/Ubuntu: apt-get install fonts-wqy-microhei or fonts-noto-cjk; "
    "macOS and Windows have one already) or set CONSORTIUM_CJK_FONT=/path/to/font.ttf|.otf|.ttc"
)


class FontError(RuntimeError):
    """No usable CJK font on this machine."""


def covers(path: str, text: str) -> bool:
    """Whether the font file has a glyph for every non-space character of ``text``."""
    charmap = FT2Font(path).get_charmap()
    return all(ord(c) in charmap for c in set(text) if not c.isspace())


@cache
def cjk_family(text: str) -> str:
    """The family name of a font covering ``text``, registered with matplotlib."""
    override = os.environ.get("CONSORTIUM_CJK_FONT")
    if override:
        if not Path(override).is_file():
            raise FontError(f"CONSORTIUM_CJK_FONT: no such file: {override}")
        if not covers(override, text):
            raise FontError(f"CONSORTIUM_CJK_FONT: {override} lacks glyphs the report needs")
        font_manager.fontManager.addfont(override)
        return font_manager.FontProperties(fname=override).get_name()
    for entries in (font_manager.fontManager.ttflist, _scan_system()):
        candidates = sorted(
            (e for e in entries if e.name in KNOWN), key=lambda e: (KNOWN.index(e.name), e.fname)
        )
        for entry in candidates:
            if covers(entry.fname, text):
                font_manager.fontManager.addfont(entry.fname)
                return str(entry.name)
    raise FontError(f"lang=zh needs a font with Chinese glyphs and none was found: {INSTALL_HINT}")


def _scan_system() -> list[font_manager.FontEntry]:
    """Font entries of every font file in the system folders (not matplotlib's cache)."""
    entries = []
    for path in font_manager.findSystemFonts():
        try:
            entries.append(font_manager.ttfFontProperty(FT2Font(path)))
        except (OSError, RuntimeError, ValueError):  # not a font FreeType reads
            continue
    return entries
