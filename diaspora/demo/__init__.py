"""Demo data of the diaspora app: data files beside this module, written by `loader`."""

from .loader import seed

__all__ = ["seed"]
