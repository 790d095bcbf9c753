"""Chinese labels in matplotlib figures (the notebooks): pick a CJK font or fail loudly.

matplotlib draws a missing glyph as a box and only warns ("Glyph 26381 missing from
font(s) DejaVu Sans"); a notebook that hides the warning ships boxes. ``use_cjk_font()``
looks for a font with Chinese glyphs among those matplotlib knows, rebuilds matplotlib's
font cache once when none is found (the cache may predate fonts installed since, e.g.
Debian's fonts-noto-cjk), sets it first in ``font.sans-serif`` and returns its name;
with none at all it raises :class:`MissingCJKFont` saying what to install. Missing-glyph
warnings are turned into errors, so a label that still cannot be drawn stops the notebook.

Example: on a machine with fonts-noto-cjk, ``use_cjk_font()`` returns "Noto Sans CJK JP"
(one .ttc holds SC, TC, JP and KR; matplotlib names it by its first face) and
``ax.set_title("服务对象满意度")`` renders in it.
"""

from __future__ import annotations

import warnings

# preferred first; any other font whose name says CJK / Han / Hei / Song is taken after them
PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Serif CJK SC",
             "Noto Serif CJK JP", "AR PL UMing CN")
_HINTS = ("CJK", "Han Sans", "Han Serif", "Hei", "Song", "Ming", "WenQuanYi")


class MissingCJKFont(RuntimeError):
    """No font with Chinese glyphs is known to matplotlib."""


def _cjk_names(names: list[str]) -> list[str]:
    known = [n for n in PREFERRED if n in names]
    return known + sorted({n for n in names if any(h in n for h in _HINTS)} - set(known))


def find_cjk_font(*, rebuild: bool = True) -> str | None:
    from matplotlib import font_manager

    names = _cjk_names([f.name for f in font_manager.fontManager.ttflist])
    if not names and rebuild:
        # the cache was built before the fonts were installed: read the font folders again
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        names = _cjk_names([f.name for f in font_manager.fontManager.ttflist])
    return names[0] if names else None


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese with a CJK font (see the module docstring); returns its name."""
    import matplotlib.pyplot as plt

    name = find_cjk_font()
    if name is None:
        raise MissingCJKFont("no font with Chinese glyphs found: Chinese labels would render as boxes. "
                             "Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; or any SimHei / "
                             "Microsoft YaHei / PingFang) and run again")
    plt.rcParams["font.sans-serif"] = [name, *[f for f in plt.rcParams["font.sans-serif"] if f != name]]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from (current )?font")
    return name
