"""Loading what every filing needs once, before worker processes are forked.

``jixiao clean --jobs N`` forks N workers. Each would otherwise load the jieba dictionary,
the classifier, the norms, spaCy and the configs on its first filing — about 2 s a worker,
more than a batch of 100 filings takes to process — so ``--jobs 2`` was slower than
``--jobs 1`` on data/raw. :func:`warm_up` runs the whole per-filing pipeline on two tiny
synthetic filings (a target table and a report in prose) in the parent, so that a forked
worker starts with everything loaded (copy-on-write). Only the caches of pure functions are
filled: outputs do not change.
"""

from __future__ import annotations

from pipeline.extract.facts import describe
from pipeline.extract.read import extract
from pipeline.ingest.text_reader import read_text
from pipeline.run.enrich import enrich

# a target table (extraction, values, classifier, norms, review) and a report in prose
# (spaCy, the values component, the prose miner, the arithmetic checks)
_TABLE = ("某单位2023年度项目绩效目标表\n"
          "一级指标\t二级指标\t三级指标\t指标值\n"
          "产出指标\t数量指标\t培训人数\t≥100人\n"
          "效益指标\t社会效益指标\t群众知晓率\t≥85%\n"
          "满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\n")
_REPORT = ("某单位2023年度项目支出绩效自评报告\n"
           "一、项目基本情况\n"
           "项目预算100万元，全年支出95万元，预算执行率95%。完成培训120人次，服务对象满意度达到92%。\n")

_done = False


def warm_up() -> None:
    """Run the per-filing stages once on the two synthetic filings (idempotent)."""
    global _done
    if _done:
        return

    for name, text in (("table", _TABLE), ("report", _REPORT)):
        doc = read_text(text.encode("utf-8"), f"<warm-up {name}>")
        ex = extract(doc)
        enrich(doc, ex, describe(doc, ex))
    _done = True
