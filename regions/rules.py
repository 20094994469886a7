"""The regions app's rules for `portal.permissions.can()`: those that need to know a need's
status, which the core does not (registered from RegionsConfig.ready())."""

from portal.permissions import is_member, rule_register

from .enums import NeedStatus


def _express_interest(user, need) -> bool:
    """A diaspora member may say "I can help" on an open need."""
    return is_member(user) and need is not None and need.status == NeedStatus.OPEN


def register() -> None:
    rule_register("regions.express_interest", _express_interest)
