"""Print the markdown tables used in data/labelled/README.md (python3 data/labelled/stats.py)."""
import csv, os, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from build_gold import map_filed, agrees  # noqa: E402

CLASSES = ['数量指标', '质量指标', '时效指标', '经济成本指标', '社会成本指标', '生态环境成本指标', '经济效益指标',
           '社会效益指标', '生态效益指标', '可持续影响指标', '服务对象满意度指标', '过程指标', 'none']
PROVINCES = ['北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建',
             '江西', '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海',
             '内蒙古', '广西', '西藏', '宁夏', '新疆']
SEEDS = {  # the five seed filings are not in sources.tsv
    '000_0bc3dd4ae087ad7a': ('target_table', '广东省广州市番禺区'),
    '001_d4a61a06f04ad918': ('target_table', '湖北省武汉市蔡甸区'),
    '002_2ce996c71ca4daff': ('target_table', '湖南省株洲市石峰区'),
    '003_552fed3c714631ba': ('report', '广东省广州市白云区'),
    '004_bf38c9880e42d804': ('self_eval', '上海市闵行区'),
}


def province(region):
    for p in PROVINCES:
        if region.startswith(p):
            return p
    return '全国/未知 (national or unknown)'


def table(header, rows):
    out = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    out += ['| ' + ' | '.join(str(c) for c in r) + ' |' for r in rows]
    return '\n'.join(out)


def main():
    raw = os.path.join(HERE, '..', 'raw')
    src = {r['doc_id']: r for r in csv.DictReader(open(os.path.join(HERE, '..', 'reference', 'sources.tsv'), encoding='utf-8'), delimiter='\t')}
    rows = list(csv.DictReader(open(os.path.join(HERE, 'gold.tsv'), encoding='utf-8'), delimiter='\t'))
    n = len(rows)
    for r in rows:
        if r['doc_id'] in SEEDS:
            r['kind'], r['region'] = SEEDS[r['doc_id']]
            r['kind'] = 'seed ' + r['kind']
        else:
            r['kind'], r['region'] = src[r['doc_id']]['kind'], src[r['doc_id']]['region']
        r['province'] = province(r['region'])

    print(f'Total rows: {n}; documents: {len(set(r["doc_id"] for r in rows))}; '
          f'with gold_alt: {sum(1 for r in rows if r["gold_alt"])}; vague=1: {sum(1 for r in rows if r["vague"] == "1")}; '
          f'with note: {sum(1 for r in rows if r["note"])}\n')

    c = Counter(r['gold_l2'] for r in rows)
    alt = Counter(r['gold_alt'] for r in rows if r['gold_alt'])
    vg = Counter(r['gold_l2'] for r in rows if r['vague'] == '1')
    print('### Per gold class\n')
    print(table(['gold_l2', 'rows', '%', 'as gold_alt', 'vague'],
                [[k, c[k], f'{100 * c[k] / n:.1f}', alt[k], vg[k]] for k in CLASSES]))

    def cross(key, title):
        groups = sorted(set(r[key] for r in rows), key=lambda g: -sum(1 for r in rows if r[key] == g))
        short = {'数量指标': '数量', '质量指标': '质量', '时效指标': '时效', '经济成本指标': '经济成本',
                 '社会成本指标': '社会成本', '生态环境成本指标': '生态成本', '经济效益指标': '经济效益',
                 '社会效益指标': '社会效益', '生态效益指标': '生态效益', '可持续影响指标': '可持续',
                 '服务对象满意度指标': '满意度', '过程指标': '过程', 'none': 'none'}
        print(f'\n### Per {title}\n')
        out = []
        for g in groups:
            sub = [r for r in rows if r[key] == g]
            cc = Counter(r['gold_l2'] for r in sub)
            out.append([g, len({r['doc_id'] for r in sub}), len(sub)] + [cc[k] or '' for k in CLASSES])
        print(table([title, 'docs', 'rows'] + [short[k] for k in CLASSES], out))

    cross('source', 'source')
    cross('kind', 'filing kind')
    cross('province', 'region (province)')

    # filers' own accuracy
    specific = fam = agree_s = agree_f = agree_alt = 0
    unm = Counter()
    dis = Counter()
    for r in rows:
        m = map_filed(r['level2_filed'])
        if m is None:
            if r['level2_filed'].strip():
                unm[r['level2_filed']] += 1
            continue
        a = agrees(m, r['gold_l2'])
        if isinstance(m, frozenset):
            fam += 1
            agree_f += a
            lab = '产出 (family)' if '数量指标' in m else '效益 (family)'
        else:
            specific += 1
            agree_s += a
            lab = m
            agree_alt += a or r['gold_alt'] == m
        if not a:
            dis[(lab, r['gold_l2'])] += 1
    tot = specific + fam
    n_none = sum(1 for r in rows if r['gold_l2'] == 'none' and map_filed(r['level2_filed']) is not None)
    print('\n### Filers\' accuracy\n')
    print(table(['rows with a usable filed level2', 'agree with gold_l2', 'accuracy'], [
        ['specific second level (e.g. 数量指标, 资金管理→过程)', f'{agree_s} / {specific}', f'{100 * agree_s / specific:.1f}%'],
        ['family only (产出指标/效益指标/项目完成 typed as level2)', f'{agree_f} / {fam}', f'{100 * agree_f / fam:.1f}%'],
        ['all', f'{agree_s + agree_f} / {tot}', f'{100 * (agree_s + agree_f) / tot:.1f}%'],
        ['all, leaving out rows whose gold is none (empty placeholder rows)', f'{agree_s + agree_f} / {tot - n_none}',
         f'{100 * (agree_s + agree_f) / (tot - n_none):.1f}%'],
        ['specific, counting a match with gold_alt as agreement', f'{agree_alt} / {specific}', f'{100 * agree_alt / specific:.1f}%'],
    ]))
    print(f'\nRows without a filed level2: {n - tot - sum(unm.values())}; rows whose level2 is not a category '
          f'(topic names, 结果目标, 履职成效): {sum(unm.values())} ({", ".join(f"{k} ×{v}" for k, v in unm.most_common())}).')
    print('\n### Most common disagreements (filed → gold)\n')
    print(table(['filed level2 (mapped)', 'gold_l2', 'rows'], [[a, b, k] for (a, b), k in dis.most_common(10)]))
    print(f'\n(total disagreeing rows: {sum(dis.values())})')
    # per-class precision/recall of the filed label
    print('\n### Filed label vs gold, per class (rows with a specific filed level2)\n')
    out = []
    for k in CLASSES:
        filed_k = [r for r in rows if map_filed(r['level2_filed']) == k]
        gold_k = [r for r in rows if r['gold_l2'] == k and isinstance(map_filed(r['level2_filed']), str)]
        tp = sum(1 for r in filed_k if r['gold_l2'] == k)
        if filed_k or gold_k:
            out.append([k, len(filed_k), len(gold_k), tp,
                        f'{100 * tp / len(filed_k):.0f}%' if filed_k else '', f'{100 * tp / len(gold_k):.0f}%' if gold_k else ''])
    print(table(['class', 'filed as', 'gold', 'both', 'filer precision', 'filer recall'], out))


if __name__ == '__main__':
    main()
