"""analysis — the numbers: survey segments, RFM / ABC-XYZ / Pareto, the analytics cross-check, the
report and charts, and their citable evidence, from the documents research read. Imports research,
engine and core.
"""
