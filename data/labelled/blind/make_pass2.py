"""Write the rows of the blind second labelling pass, without any gold column.

The second pass labels rows from name, value, unit and filed labels only, never seeing the
first labels (gold_l2/gold_alt/note), so that Cohen's kappa between the passes measures how
reproducible the guideline is. Rows of the frozen held-out filings (data/heldout.txt) are
left out. The sample is drawn with a fixed seed; re-running gives the same file.

Run: python3 data/labelled/blind/make_pass2.py   → blind/pass2_rows.tsv
"""
import csv, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(LAB))
N = 320
SEED = 14


def main():
    heldout = {l.strip() for l in open(os.path.join(ROOT, 'data', 'heldout.txt'), encoding='utf-8')
               if l.strip() and not l.startswith('#')}
    gold = list(csv.DictReader(open(os.path.join(LAB, 'gold.tsv'), encoding='utf-8'), delimiter='\t'))
    ref = list(csv.reader(open(os.path.join(ROOT, 'data', 'reference', 'rows.tsv'), encoding='utf-8'), delimiter='\t'))[1:]
    pool = [i for i, r in enumerate(gold) if r['doc_id'] not in heldout]
    keys = sorted(random.Random(SEED).sample(pool, N))
    with open(os.path.join(HERE, 'pass2_rows.tsv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, delimiter='\t', lineterminator='\n')
        w.writerow(['key', 'source', 'level1_filed', 'level2_filed', 'name', 'target', 'actual', 'unit', 'extra'])
        for k in keys:
            r = gold[k]
            unit = extra = ''
            if k < len(ref):
                unit, extra = ref[k][6], ref[k][7][:70]
            w.writerow([k + 1, r['source'], r['level1_filed'], r['level2_filed'], r['name'], r['target'],
                        r['actual'], unit, extra])


if __name__ == '__main__':
    main()
