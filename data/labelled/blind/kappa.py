"""Cohen's kappa between the first labels and the blind second pass.

blind/pass1_labels.tsv holds the first labels of the sampled rows as they stood when the
second pass was made (key = 1-based data row of gold.tsv, name, target, filed level2,
gold_l2, gold_alt, note), so the figure does not move when the disagreements are settled
afterwards (batches/relabel14.tsv); blind/pass2_labels.tsv the second pass (key, code, alt code).
Prints kappa on the primary labels, raw agreement, agreement when either pass's
alternative counts, and the disagreements (key, name, first, second) for settling.

Run: .venv/bin/python data/labelled/blind/kappa.py [--first FILE] [--list]
"""
import argparse, csv, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from build_gold import CODES  # noqa: E402


def load(first):
    gold = {int(r['key']): r for r in csv.DictReader(open(first, encoding='utf-8'), delimiter='\t')}
    pairs = []
    for line in open(os.path.join(HERE, 'pass2_labels.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t') + ['']
        k, g2, a2 = int(f[0]), CODES[f[1]], CODES[f[2]]
        pairs.append((k, gold[k], g2, a2))
    return pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--first', default=os.path.join(HERE, 'pass1_labels.tsv'))
    ap.add_argument('--list', action='store_true')
    a = ap.parse_args()
    from sklearn.metrics import cohen_kappa_score

    pairs = load(a.first)
    y1 = [r['gold_l2'] for _, r, _, _ in pairs]
    y2 = [g for _, _, g, _ in pairs]
    kappa = cohen_kappa_score(y1, y2)
    agree = sum(x == y for x, y in zip(y1, y2))
    loose = sum(bool(r['gold_l2'] in (g, al) or (r['gold_alt'] and r['gold_alt'] in (g, al))) for _, r, g, al in pairs)
    alt1 = sum(bool(r['gold_alt']) for _, r, _, _ in pairs)
    alt2 = sum(bool(al) for _, _, _, al in pairs)
    print(f'rows {len(pairs)}  kappa {kappa:.3f}  agreement {agree}/{len(pairs)} = {agree / len(pairs):.3f}  '
          f'agreement counting alternatives {loose}/{len(pairs)} = {loose / len(pairs):.3f}  '
          f'rows with an alternative: first {alt1} ({alt1 / len(pairs):.1%}), second {alt2} ({alt2 / len(pairs):.1%})')
    if a.list:
        for k, r, g, al in pairs:
            if r['gold_l2'] != g:
                print(k, r['name'][:30], r['target'][:14], '|', r['level2_filed'][:8], '| 1:', r['gold_l2'], r['gold_alt'],
                      '| 2:', g, al, '|', r['note'][:60], sep='\t')


if __name__ == '__main__':
    main()
