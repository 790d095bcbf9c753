"""What ``jixiao clean`` writes: the CSV tables, the workbook and the HTML report."""
