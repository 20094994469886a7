"""Demo data of the matching app: a data file beside this module, written by `loader`."""

from .loader import seed

__all__ = ["seed"]
