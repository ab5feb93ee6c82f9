"""PromQL, understood in one place: the only importer of promql-parser.

parse -> a tree of frozen nodes (tree), printed back with str(); label matchers
(matchers); SLI selectors and label sets that match them (series); result types and
the labels an expression keeps (analysis); rewriting on the tree (rewrite).
"""

from .errors import PromQLError
from .matchers import Matcher, is_label_name
from .tree import Aggregate, Binary, Call, Node, Number, Selector, String, Subquery, Unary, children, duration, parse, selectors, walk

__all__ = [
    "Aggregate", "Binary", "Call", "Matcher", "Node", "Number", "PromQLError", "Selector", "String", "Subquery", "Unary",
    "children", "duration", "is_label_name", "parse", "selectors", "walk",
]
