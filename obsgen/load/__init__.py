"""Load: import definition packages and turn every mistake into one clear error."""

from .loader import LoadError, LoadedSystem, load_systems

__all__ = ["LoadError", "LoadedSystem", "load_systems"]
