"""Assemble data/labelled/gold.tsv from the hand-labelled batches.

batches/bNNN.tsv : row_index (1-based data row of data/reference/rows.tsv), gold code, alt code, vague, note
batches/seeds.tsv: doc_id, level1, level2, name, target, actual, gold code, alt code, vague, note
batches/relabel14.tsv: key (1-based data row of gold.tsv), gold code ('=' keeps it), alt code, note —
    the relabelling to LABELLING.md of issue 14 and the settled disagreements of the blind pass,
    applied after the batches so the first labels stay readable in bNNN.tsv
gold.tsv carries the 计量单位 column of rows.tsv as `unit` (the classifier reads it as the unit hint).
Run: python3 data/labelled/build_gold.py   (from the project root or anywhere)
"""
import csv, glob, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, '..', 'reference')   # the hand-read rows and their sources

CODES = {
    'N': '数量指标', 'Q': '质量指标', 'T': '时效指标', 'C': '经济成本指标', 'SC': '社会成本指标',
    'EC': '生态环境成本指标', 'E': '经济效益指标', 'S': '社会效益指标', 'G': '生态效益指标',
    'K': '可持续影响指标', 'M': '服务对象满意度指标', 'P': '过程指标', 'none': 'none', '': '',
}
OUTPUT = {'数量指标', '质量指标', '时效指标', '经济成本指标'}            # legacy 产出 block (成本 under 产出)
BENEFIT = {'经济效益指标', '社会效益指标', '生态效益指标', '可持续影响指标'}

PROCESS_WORDS = ['资金管理', '预算编制', '预算编审', '预算执行', '预算绩效管理', '资产管理', '信息公开',
                 '预算透明', '内部控制', '内控', '预算信息化', '绩效评价', '绩效目标', '绩效监控', '工作计划',
                 '基础信息', '目标任务', '专项资金分配', '非税收入', '中期评估', '投入目标', '投入管理',
                 '财务管理', '项目实施', '项fl实施', '资金投入', '资金到位', '资金分配', '资金下达', '科学决策',
                 '决策过程', '项目目标', '组织实施', '项目执行', '计划管理', '项目管理', '监督检查', '组织管理']


def norm(s):
    s = re.sub(r'\s+', '', s or '')
    s = re.sub(r'[（(][^）)]*[）)]', '', s)          # (必填), (10分), (选填) …
    s = re.sub(r'\d+(\.\d+)?分', '', s)
    return s


def map_filed(l2):
    """Filed level2 -> a gold class (str), a family (frozenset), or None (no usable level2)."""
    s = norm(l2)
    if not s:
        return None
    low = s.lower()
    for w in PROCESS_WORDS:
        if w in low:
            return '过程指标'
    base = re.sub(r'(指标|值|目标)$', '', s)
    base = re.sub(r'^产出', '', base) if base not in ('产出',) else base
    table = {
        '数量': '数量指标', '质量': '质量指标', '时效': '时效指标', '进度': '时效指标',
        '成本': '经济成本指标', '经济成本': '经济成本指标', '社会成本': '社会成本指标',
        '生态环境成本': '生态环境成本指标', '经济效益': '经济效益指标', '社会效益': '社会效益指标',
        '生态效益': '生态效益指标', '环境效益': '生态效益指标', '可持续影响': '可持续影响指标',
        '可持续发展能力': '可持续影响指标', '服务对象满意度': '服务对象满意度指标', '满意度': '服务对象满意度指标',
        '社会公众或服务对象满意度': '服务对象满意度指标', '社会公众及服务对象满意度': '服务对象满意度指标',
        '效益': frozenset(BENEFIT), '效果': frozenset(BENEFIT),
        '产出': frozenset(OUTPUT), '': frozenset(OUTPUT),   # "产出指标"/"产出目标" typed as level2
        '项目完成': frozenset(OUTPUT),
    }
    return table.get(base)   # topics (城市污水管网建设), 结果目标, 履职成效 … -> None


def agrees(mapped, gold):
    if mapped is None:
        return None
    if isinstance(mapped, frozenset):
        return gold in mapped
    return gold == mapped


def apply_relabel(out):
    """Apply batches/relabel14.tsv to the assembled rows, in place (see the module docstring)."""
    path = os.path.join(HERE, 'batches', 'relabel14.tsv')
    if not os.path.exists(path):
        return
    seen = set()
    for line in open(path, encoding='utf-8'):
        if not line.strip() or line.startswith('#'):
            continue
        k, g, alt, note = (line.rstrip('\n').split('\t') + [''] * 4)[:4]
        k = int(k)
        assert k not in seen, ('duplicate relabel key', k)
        seen.add(k)
        o = out[k - 1]
        if g != '=':
            o[7] = CODES[g]
        o[8] = CODES[alt]
        if g != '=' and note:
            o[10] = f'{o[10]}; {note}' if o[10] else note


def main():
    src = {r['doc_id']: r for r in csv.DictReader(open(os.path.join(RAW, 'sources.tsv'), encoding='utf-8'), delimiter='\t')}
    rows = list(csv.reader(open(os.path.join(RAW, 'rows.tsv'), encoding='utf-8'), delimiter='\t'))[1:]
    labels = {}
    for fn in sorted(glob.glob(os.path.join(HERE, 'batches', 'b[0-9]*.tsv'))):
        for line in open(fn, encoding='utf-8'):
            f = line.rstrip('\n').split('\t')
            f += [''] * (5 - len(f))
            i = int(f[0])
            assert i not in labels, ('duplicate label', i, fn)
            labels[i] = f[1:5]
    missing = [i for i in range(1, len(rows) + 1) if i not in labels]
    assert not missing, ('unlabelled rows', missing[:20])

    out = []
    for i, r in enumerate(rows, 1):
        doc, l1, l2, name, target, actual = r[:6]
        kind = src[doc]['kind']
        source = {'library': 'library', 'report': 'report'}.get(kind, 'filing')
        g, alt, vague, note = labels[i]
        out.append([doc, source, l1, l2, name, target, actual, CODES[g], CODES[alt], vague, note, r[6]])
    for line in open(os.path.join(HERE, 'batches', 'seeds.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        doc, l1, l2, name, target, actual, g, alt, vague, note = f
        out.append([doc, 'filing', l1, l2, name, target, actual, CODES[g], CODES[alt], vague, note, ''])
    apply_relabel(out)

    problems = 0
    for k, o in enumerate(out):
        gold, alt, vague, note = o[7], o[8], o[9], o[10]
        assert gold in set(CODES.values()) - {''}, o
        assert alt != gold, ('alt equals gold', o)
        assert vague in ('0', '1'), o
        m = map_filed(o[3])
        a = agrees(m, gold)
        if a is False and not note:
            problems += 1
            print('needs note:', k + 2, o[:8], file=sys.stderr)
    with open(os.path.join(HERE, 'gold.tsv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, delimiter='\t', lineterminator='\n')
        w.writerow(['doc_id', 'source', 'level1_filed', 'level2_filed', 'name', 'target', 'actual',
                    'gold_l2', 'gold_alt', 'vague', 'note', 'unit'])
        for o in out:
            w.writerow([c.replace('\t', ' ').replace('\n', ' ') for c in o])
    print('wrote', len(out), 'rows;', problems, 'disagreements without a note', file=sys.stderr)


if __name__ == '__main__':
    main()
