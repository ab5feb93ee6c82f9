"""`obsgen diff`: what a change to generated/ means, as a reviewer reads it.

git_tree.py reads generated/ at a ref; snapshot.py parses one side; paging.py routes an
alert's labels; compare.py finds the differences; markdown.py renders the PR comment.
"""
