"""Chinese labels in figures: a CJK font is picked explicitly, and its absence is loud."""

from __future__ import annotations

import warnings

import pytest

from pipeline.output import plotting


def test_plotting_prefers_a_simplified_chinese_font():
    names = ["DejaVu Sans", "Noto Serif CJK JP", "Noto Sans CJK SC", "Some Hei"]
    assert plotting._cjk_names(names)[0] == "Noto Sans CJK SC"
    assert plotting._cjk_names(["DejaVu Sans", "Liberation Serif"]) == []


def test_plotting_fails_loudly_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(plotting, "find_cjk_font", lambda **kw: None)
    with pytest.raises(plotting.MissingCJKFont, match="fonts-noto-cjk"):
        plotting.use_cjk_font()


def test_plotting_sets_the_font_and_turns_missing_glyphs_into_errors(monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plotting, "find_cjk_font", lambda **kw: "Noto Sans CJK SC")
    with warnings.catch_warnings():
        assert plotting.use_cjk_font() == "Noto Sans CJK SC"
        assert plt.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
        with pytest.raises(UserWarning):
            warnings.warn("Glyph 26381 (\\N{CJK UNIFIED IDEOGRAPH-670D}) missing from font(s) DejaVu Sans.",
                          UserWarning)
    plt.rcdefaults()
