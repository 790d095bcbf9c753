"""report.html: one self-contained page for a batch (no network, no script needed).

Counts per category and per flag code as bar charts (inline SVG), the share of vague and
of misfiled indicators per filing, and for each filing its flags with the evidence and
the suggested fix.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from pipeline.core.flags import review_rules

COLORS = {"error": "#c0392b", "warning": "#d4a017", "info": "#2e86c1"}
CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:24px;margin-bottom:4px} h2{font-size:19px;margin-top:32px;border-bottom:2px solid #ddd;padding-bottom:4px}
.kpi{display:flex;gap:16px;flex-wrap:wrap;margin:16px 0}.kpi div{background:#f4f6f8;border-radius:6px;padding:10px 16px}
.kpi b{display:block;font-size:22px}.muted{color:#777;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#eef2f7}.sev-error{color:#c0392b;font-weight:bold}
.sev-warning{color:#9a7300;font-weight:bold}.sev-info{color:#2e86c1}details{margin:6px 0}summary{cursor:pointer;
font-weight:bold;padding:4px}.bar{display:inline-block;height:10px;background:#5b8def;vertical-align:middle}
.bar.v{background:#d4a017}.bar.m{background:#c0392b}
"""


def _bars(items: list[tuple[str, int, str]], width: int = 720) -> str:
    """A horizontal bar chart as inline SVG: (label, value, colour)."""
    if not items:
        return '<p class="muted">（无）</p>'
    top = max(v for _, v, _ in items) or 1
    row_h, label_w = 22, 230
    h = row_h * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img">']
    for i, (label, v, color) in enumerate(items):
        y = 5 + i * row_h
        w = int((width - label_w - 60) * v / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1)}" height="{row_h - 8}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12">{v}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_report(path: Path, result, summaries: list[dict]) -> None:
    rr = review_rules()
    sev = Counter(f.severity for f in result.flags)
    cats = Counter((r.get("level2") or r.get("level2_filed") or "（未分类）") for r in result.records)
    codes = Counter(f.code for f in result.flags)
    html = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>jixiao 审核报告</title>"
            f"<style>{CSS}</style></head><body>",
            "<h1>jixiao 绩效目标审核报告</h1>",
            f"<p class='muted'>规则版本 {escape(rr.version)}；每个标记都附有依据与修改建议。</p>",
            "<div class='kpi'>",
            f"<div><b>{len(result.filings)}</b>份文件</div><div><b>{len(result.records)}</b>条指标</div>",
            f"<div><b class='sev-error'>{sev['error']}</b>错误</div><div><b class='sev-warning'>{sev['warning']}</b>警告</div>",
            f"<div><b class='sev-info'>{sev['info']}</b>提示</div><div><b>{len(result.errors)}</b>无法读取的文件</div></div>"]
    html.append("<h2>各类指标数量（二级指标）</h2>")
    html.append(_bars([(k, v, "#5b8def") for k, v in cats.most_common()]))
    html.append("<h2>各类标记数量</h2>")
    html.append(_bars([(k, v, COLORS[rr.codes[k][0]]) for k, v in codes.most_common()]))
    html.append("<h2>各文件：模糊目标与错放指标的占比</h2><table><tr><th>文件</th><th>部门</th><th>类型</th>"
                "<th>指标数</th><th>错误</th><th>警告</th><th>模糊目标占比</th><th>错放占比</th></tr>")
    for s in summaries:
        v = float(s["vague_share"] or 0)
        m = float(s["misfiled_share"] or 0)
        html.append(f"<tr><td>{escape(s['file'])}</td><td>{escape(s['department'])}</td><td>{escape(s['kind'])}</td>"
                    f"<td>{s['rows']}</td><td>{s['errors']}</td><td>{s['warnings']}</td>"
                    f"<td><span class='bar v' style='width:{int(v * 120)}px'></span> {v:.0%}</td>"
                    f"<td><span class='bar m' style='width:{int(m * 120)}px'></span> {m:.0%}</td></tr>")
    html.append("</table>")
    if result.errors:
        html.append("<h2>无法读取的文件</h2><table><tr><th>文件</th><th>阶段</th><th>代码</th><th>原因</th></tr>")
        for e in result.errors:
            html.append(f"<tr><td>{escape(e.file)}</td><td>{escape(e.stage)}</td><td>{escape(e.code)}</td>"
                        f"<td>{escape(e.message)}</td></tr>")
        html.append("</table>")
    html.append("<h2>各文件的标记</h2>")
    by_file: dict[str, list] = {}
    for f in result.flags:
        by_file.setdefault(f.file, []).append(f)
    for s in summaries:
        fl = by_file.get(s["file"], [])
        html.append(f"<details{' open' if s['errors'] else ''}><summary>{escape(s['file'])} — {s['rows']} 条指标，"
                    f"{s['errors']} 错误 / {s['warnings']} 警告 / {s['infos']} 提示</summary>")
        if fl:
            html.append("<table><tr><th>位置</th><th>代码</th><th>级别</th><th>说明</th><th>依据</th><th>建议</th></tr>")
            for f in sorted(fl, key=lambda f: ({"error": 0, "warning": 1, "info": 2}[f.severity], f.table, f.row)):
                where = f"表{f.table} 行{f.row}" if f.table else (f"行{f.row}" if f.row else "全文")
                html.append(f"<tr><td>{where}<br>{escape(f.name)}</td><td>{f.code}</td>"
                            f"<td class='sev-{f.severity}'>{f.severity}</td><td>{escape(f.message)}</td>"
                            f"<td>{escape(f.evidence)}</td><td>{escape(f.suggestion)}</td></tr>")
            html.append("</table>")
        html.append("</details>")
    html.append("<h2>标记代码</h2><table><tr><th>代码</th><th>级别</th><th>含义</th></tr>")
    for code, (severity, about) in rr.codes.items():
        html.append(f"<tr><td>{code}</td><td class='sev-{severity}'>{severity}</td><td>{escape(about)}</td></tr>")
    html.append("</table></body></html>")
    path.write_text("\n".join(html), encoding="utf-8")
