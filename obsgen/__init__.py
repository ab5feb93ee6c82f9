"""obsgen: observability as code for trading systems.

Definitions import their vocabulary from here: ``from obsgen import System, Service, ...``.
"""

from .model import *  # noqa: F401,F403
from .model import __all__
