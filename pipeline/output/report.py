"""report.html: one self-contained page for a batch (no network), the page one mails.

Counts per category and per flag code as bar charts (inline SVG), the filings ordered by
errors (then warnings) with the share of vague and of misfiled indicators, filings with no
indicator row marked "0 条指标", and for each filing its flags with the evidence and the
suggested fix. Flag codes, kinds and severities carry their Chinese names (from
configs/review.yaml and configs/columns.yaml) with the code in small print. A little inline
script adds search (file, department, flag text), filters (flag code, severity, kind) and
sorting by any column; without script the page still reads top to bottom.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from pipeline.core.columns import column_names
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
.code{font-size:11px;color:#666;background:#f0f0f0;border-radius:3px;padding:0 3px}.zero{background:#c0392b;color:#fff;
border-radius:3px;padding:0 5px;font-size:12px}tr.empty td{background:#fff4f4}
td.sev-error,td.sev-warning,td.sev-info{white-space:nowrap}
.tools{display:flex;gap:8px;flex-wrap:wrap;position:sticky;top:0;background:#fff;padding:8px 0;z-index:1}
.tools input{flex:1 1 260px;padding:5px}th.sort{cursor:pointer}th.sort:after{content:" ⇅";color:#aaa}
"""
SCRIPT = """
(function(){
var $=function(s){return document.querySelector(s)},$$=function(s){return Array.prototype.slice.call(document.querySelectorAll(s))};
function apply(){
  var q=$('#q').value.trim().toLowerCase(),code=$('#code').value,sev=$('#sev').value,kind=$('#kind').value,n=0;
  $$('[data-file]').forEach(function(el){
    var ok=(!q||el.getAttribute('data-text').indexOf(q)>=0)&&(!code||(' '+el.getAttribute('data-codes')+' ').indexOf(' '+code+' ')>=0)
      &&(!sev||(' '+el.getAttribute('data-sevs')+' ').indexOf(' '+sev+' ')>=0)&&(!kind||el.getAttribute('data-kind')===kind);
    el.style.display=ok?'':'none'; if(ok&&el.tagName==='TR')n++;
    if(el.tagName==='DETAILS'&&(q||code||sev))el.open=ok;
  });
  $$('tr[data-flag]').forEach(function(tr){tr.style.display=(!code||tr.getAttribute('data-flag')===code)&&(!sev||tr.getAttribute('data-sev')===sev)?'':'none';});
  $('#shown').textContent='显示 '+n+' 份文件';
}
['#q','#code','#sev','#kind'].forEach(function(id){$(id).addEventListener('input',apply);$(id).addEventListener('change',apply);});
$$('th.sort').forEach(function(th,i){th.addEventListener('click',function(){
  var tb=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(tb.rows),col=th.cellIndex,num=th.hasAttribute('data-num');
  var d=th.getAttribute('data-dir')==='desc'?'asc':'desc';th.setAttribute('data-dir',d);
  rows.sort(function(a,b){var x=a.cells[col].getAttribute('data-v')||a.cells[col].textContent,y=b.cells[col].getAttribute('data-v')||b.cells[col].textContent;
    var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y,'zh');return d==='desc'?-c:c;});
  rows.forEach(function(r){tb.appendChild(r);});
});});
apply();
})();
"""


def _bars(items: list[tuple[str, int, str]], width: int = 720) -> str:
    """A horizontal bar chart as inline SVG: (label, value, colour)."""
    if not items:
        return '<p class="muted">（无）</p>'
    top = max(v for _, v, _ in items) or 1
    # the label column fits the longest label (13 px a CJK character, 7 px others at 13 px type)
    row_h = 22
    label_w = min(380, max(120, 12 + max(sum(13 if ord(c) > 0x2E80 else 7 for c in lab) for lab, _, _ in items)))
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


def _ranked(summaries: list[dict]) -> list[dict]:
    """Filings most in need of review first: errors, then warnings, then no rows at all."""
    return sorted(summaries, key=lambda s: (-int(s["errors"]), -int(s["warnings"]), int(s["rows"]) > 0, s["file"]))


def write_report(path: Path, result, summaries: list[dict]) -> None:
    rr = review_rules()
    names = column_names()
    kind_zh, sev_zh = names.kinds_zh, names.severities_zh

    def code_html(code: str) -> str:
        return f"{escape(rr.zh(code))} <span class='code'>{escape(code)}</span>"

    sev = Counter(f.severity for f in result.flags)
    cats = Counter((r.get("level2") or r.get("level2_filed") or "（未分类）") for r in result.records)
    codes = Counter(f.code for f in result.flags)
    by_file: dict[str, list] = {}
    for f in result.flags:
        by_file.setdefault(f.file, []).append(f)
    ranked = _ranked(summaries)

    def attrs(s: dict) -> str:
        fl = by_file.get(s["file"], [])
        text = " ".join([s["file"], s["department"], *(f"{f.name} {f.message} {rr.zh(f.code)}" for f in fl)]).lower()
        return (f" data-file='{escape(s['file'])}' data-kind='{escape(s['kind'])}' "
                f"data-codes='{' '.join(sorted({f.code for f in fl}))}' "
                f"data-sevs='{' '.join(sorted({f.severity for f in fl}))}' data-text='{escape(text)}'")

    html = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>jixiao 审核报告</title>"
            f"<style>{CSS}</style></head><body>",
            "<h1>jixiao 绩效目标审核报告</h1>",
            f"<p class='muted'>规则版本 {escape(rr.version)}；每个标记都附有依据与修改建议。文件按错误数排序。</p>",
            "<div class='kpi'>",
            f"<div><b>{len(result.filings)}</b>份文件</div><div><b>{len(result.records)}</b>条指标</div>",
            f"<div><b class='sev-error'>{sev['error']}</b>错误</div><div><b class='sev-warning'>{sev['warning']}</b>警告</div>",
            f"<div><b class='sev-info'>{sev['info']}</b>提示</div><div><b>{len(result.errors)}</b>无法读取的文件</div>",
            f"<div><b>{sum(1 for s in summaries if not int(s['rows']))}</b>份文件 0 条指标</div></div>"]
    html.append("<h2>各类指标数量（二级指标）</h2>")
    html.append(_bars([(k, v, "#5b8def") for k, v in cats.most_common()]))
    html.append("<h2>各类标记数量</h2>")
    html.append(_bars([(f"{rr.zh(k)} ({k})", v, COLORS[rr.codes[k][0]]) for k, v in codes.most_common()]))
    html.append("<div class='tools'><input id='q' type='search' placeholder='搜索文件、部门、指标或标记说明'>"
                "<select id='code'><option value=''>全部标记</option>"
                + "".join(f"<option value='{c}'>{escape(rr.zh(c))} ({c})</option>" for c in sorted(codes))
                + "</select><select id='sev'><option value=''>全部级别</option>"
                + "".join(f"<option value='{k}'>{v}</option>" for k, v in sev_zh.items())
                + "</select><select id='kind'><option value=''>全部类型</option>"
                + "".join(f"<option value='{k}'>{escape(v)}</option>" for k, v in kind_zh.items())
                + "</select><span id='shown' class='muted'></span></div>")
    html.append("<h2>各文件：模糊目标与错放指标的占比</h2><table id='filings'><thead><tr><th class='sort'>文件</th>"
                "<th class='sort'>部门</th><th class='sort'>类型</th><th class='sort' data-num>指标数</th>"
                "<th class='sort' data-num>错误</th><th class='sort' data-num>警告</th>"
                "<th class='sort' data-num>模糊目标占比</th><th class='sort' data-num>错放占比</th></tr></thead><tbody>")
    for n, s in enumerate(ranked):
        v = float(s["vague_share"] or 0)
        m = float(s["misfiled_share"] or 0)
        rows = int(s["rows"])
        rows_html = f"{rows}" if rows else "<span class='zero'>0 条指标</span>"
        html.append(f"<tr{attrs(s)}{' class=empty' if not rows else ''}><td><a href='#f{n}'>{escape(s['file'])}</a></td>"
                    f"<td>{escape(s['department'])}</td><td>{escape(kind_zh.get(s['kind'], s['kind']))}</td>"
                    f"<td data-v='{rows}'>{rows_html}</td><td>{s['errors']}</td><td>{s['warnings']}</td>"
                    f"<td data-v='{v}'><span class='bar v' style='width:{int(v * 120)}px'></span> {v:.0%}</td>"
                    f"<td data-v='{m}'><span class='bar m' style='width:{int(m * 120)}px'></span> {m:.0%}</td></tr>")
    html.append("</tbody></table>")
    if result.errors:
        html.append("<h2>无法读取的文件</h2><table><tr><th>文件</th><th>阶段</th><th>代码</th><th>原因</th></tr>")
        for e in result.errors:
            html.append(f"<tr><td>{escape(e.file)}</td><td>{escape(e.stage)}</td><td>{escape(e.code)}</td>"
                        f"<td>{escape(e.message)}</td></tr>")
        html.append("</table>")
    html.append("<h2>各文件的标记</h2>")
    for n, s in enumerate(ranked):
        fl = by_file.get(s["file"], [])
        rows = int(s["rows"])
        count = f"{rows} 条指标" if rows else "<span class='zero'>0 条指标</span>"
        html.append(f"<details id='f{n}'{attrs(s)}><summary>{escape(s['file'])} — {count}，"
                    f"{s['errors']} 错误 / {s['warnings']} 警告 / {s['infos']} 提示</summary>")
        if fl:
            html.append("<table><tr><th>位置</th><th>标记</th><th>级别</th><th>说明</th><th>依据</th><th>建议</th></tr>")
            for f in sorted(fl, key=lambda f: ({"error": 0, "warning": 1, "info": 2}[f.severity], f.table, f.row)):
                where = f"表{f.table} 行{f.row}" if f.table else (f"行{f.row}" if f.row else "全文")
                html.append(f"<tr data-flag='{f.code}' data-sev='{f.severity}'><td>{where}<br>{escape(f.name)}</td>"
                            f"<td>{code_html(f.code)}</td><td class='sev-{f.severity}'>{sev_zh.get(f.severity, f.severity)}"
                            f"</td><td>{escape(f.message)}</td><td>{escape(f.evidence)}</td>"
                            f"<td>{escape(f.suggestion)}</td></tr>")
            html.append("</table>")
        elif not rows:
            html.append("<p class='muted'>这份文件没有读出任何指标：请查看原文件或 rejects.csv。</p>")
        html.append("</details>")
    html.append("<h2>标记代码</h2><table><tr><th>标记</th><th>级别</th><th>含义</th></tr>")
    for code, (severity, about) in rr.codes.items():
        html.append(f"<tr><td>{code_html(code)}</td><td class='sev-{severity}'>{sev_zh.get(severity, severity)}</td>"
                    f"<td>{escape(about)}</td></tr>")
    html.append(f"</table><script>{SCRIPT}</script></body></html>")
    path.write_text("\n".join(html), encoding="utf-8")
