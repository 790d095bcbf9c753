"""The text reader: encodings, traditional characters and the five table layouts."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import EmptyFiling, FilingError, UndecodableFiling, UnsupportedFormat
from pipeline.extract.read import extract
from pipeline.ingest.dispatch import read_filing
from pipeline.ingest.text_reader import decode, detect_layout, read_text

ROW = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t≥100人次\n\t质量指标\t培训合格率\t≥95%\n"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("gb18030", b""),
    ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
])
def test_ingest_text_encodings_give_the_same_rows(encoding, prefix):
    data = prefix + ROW.encode(encoding)
    doc = read_text(data, "x.txt")
    rows = extract(doc).rows
    assert [(r.level2_filed, r.name, r.target_raw) for r in rows] == [
        ("数量指标", "培训人次", "≥100人次"), ("质量指标", "培训合格率", "≥95%")]


def test_ingest_text_short_gb18030_line_is_not_guessed_as_cp949():
    # charset-normalizer called this cp949; strict GB18030 must win before any guessing
    data = "满意度达98%".encode("gb18030")
    text, enc = decode(data, "x.txt")
    assert (text, enc) == ("满意度达98%", "gb18030")


def test_ingest_text_traditional_converted_original_kept():
    data = "一級指標\t二級指標\t三級指標\t指標值\n產出指標\t數量指標\t補貼發放人數\t100人\n".encode("utf-8")
    doc = read_text(data, "t.txt")
    assert doc.meta["converted"] == "t2s"
    assert "產出指標" in doc.meta["original_text"]
    rows = extract(doc).rows
    assert [(r.level1_filed, r.name) for r in rows] == [("产出指标", "补贴发放人数")]


def test_ingest_text_empty_and_binary_files_raise_clear_errors(tmp_path):
    with pytest.raises(EmptyFiling, match="empty"):
        decode(b"  \n", "e.txt")
    with pytest.raises(UndecodableFiling, match="binary"):
        decode(bytes(range(256)) * 40, "junk.txt")
    p = tmp_path / "a.docx.txt"
    p.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(UnsupportedFormat, match="renamed"):
        read_filing(p)


@pytest.mark.parametrize("text,layout", [
    (ROW, "tab"),
    ("\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\n\t产出指标\n\t数量指标\n\t人次\n\t5人次\n", "cells"),
    ("一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 人次 | 5 |\na | b |\n", "pipe"),
    ("一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 人次 5人次\n", "plain"),
])
def test_ingest_text_detects_layout(text, layout):
    assert detect_layout(text.split("\n")) == layout


def test_ingest_text_cell_per_line_continuation_lines_join_the_cell():
    text = "\t一级\n指标\n\t二级指标\n\t三级指标\n\t指标值\n\n\t产出\n指标\n\t数量指标\n\t残疾人康复救助补贴人次\n\t1100人次\n"
    rows = extract(read_text(text.encode(), "c.txt")).rows
    assert [(r.level1_filed, r.level2_filed, r.name, r.target_raw) for r in rows] == [
        ("产出指标", "数量指标", "残疾人康复救助补贴人次", "1100人次")]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_ingest_text_never_crashes_on_arbitrary_bytes(data):
    try:
        doc = read_text(data, "fuzz.txt")
    except FilingError:
        return
    ex = extract(doc)
    assert ex.rows_read >= 0


_CELL = st.sampled_from(["一级指标", "二级指标", "三级指标", "指标值", "全年完成值", "分值", "得分", "产出指标",
                         "数量指标", "质量指标", "满意度指标", "培训人次", "≥90%", "100%(3133人)", "达成指标", "1.00",
                         "0.80", "", " ", "……", "合计", "无", "年度目标2：", "2023年12月", "稳步提升"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=10), max_size=25), st.sampled_from(["\t", " | ", " ", "\n\t"]))
def test_ingest_text_never_crashes_on_table_like_text(rows, sep):
    text = "\n".join(sep.join(r) for r in rows)
    try:
        doc = read_text(text.encode("utf-8"), "fuzz.txt")
    except FilingError:
        return
    ex = extract(doc)
    for r in ex.rows:
        assert r.name


def test_shipped_traditional_characters_match_opencc():
    from pipeline.ingest.text_reader import _traditional_chars, probe_traditional_chars

    assert _traditional_chars() == probe_traditional_chars()


def test_pinyin_ruby_annotations_of_a_web_page_are_taken_out():
    from pipeline.core.normalize import strip_ruby

    text = "一级指标 | 二级指标 | 三级指标\n产(chǎn)出指标 | 数(shù)量指标(biāo) | 资(zī)助人数 1200人"
    assert strip_ruby(text) == "一级指标 | 二级指标 | 三级指标\n产出指标 | 数量指标 | 资助人数 1200人"
    # one gloss in a note, and brackets without tone marks, are left alone
    assert strip_ruby("重(chóng)复建设项目") == "重(chóng)复建设项目"
    assert strip_ruby("方案(a)(b)(c)(ha)") == "方案(a)(b)(c)(ha)"


def test_a_ruby_annotated_text_dump_reads_its_categories():
    doc = read_text("一级指标|二级指标|三级指标|指标值\n产(chǎn)出指标|数(shù)量指标(biāo)|资(zī)助人数|1200人\n"
                    .encode(), "x.txt")
    assert doc.meta["ruby"] == "stripped" and "(shù)" in doc.meta["original_text"]
    assert "数量指标" in doc.text and "(shù)" not in doc.text
