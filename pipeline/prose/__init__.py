"""Facts mined from the prose of self-evaluation reports (自评报告): sentences such as
"完成残疾人康复资助 1581 人次" become indicator-like rows.
"""
