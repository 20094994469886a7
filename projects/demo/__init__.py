"""Demo data of the projects app: data files beside this module, written by `loader`."""

from .loader import seed

__all__ = ["seed"]
