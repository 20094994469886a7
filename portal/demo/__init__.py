"""The demo data set (`manage.py demo_seed`, `make demo`): each app's `demo` package holds its
data files (`*.yaml`) and one loader module that writes them through the app's services."""

from .loader import DEMO_PASSWORD, DEMO_RECOVERY_CODE, seed

__all__ = ["DEMO_PASSWORD", "DEMO_RECOVERY_CODE", "seed"]
