"""`obsgen lint`: rules, dashboards, routing and the links between them, in one linter.

sources.py reads and sorts the files; rules.py, dashboards.py, routing.py and links.py
are the check families; findings.py holds the rule registry; report.py the output
formats; exceptions.py the accepted findings; run.py ties one run together.
"""
