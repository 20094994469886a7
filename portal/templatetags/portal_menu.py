from django import template
from django.contrib.auth.models import AnonymousUser

from portal.menu import menu_for

register = template.Library()


@register.simple_tag
def main_menu(user):
    """`{% main_menu user as entries %}`: the header's entries for `user` (portal.menu). A page
    rendered without a request (no `user` in its context) gets the anonymous visitor's menu."""
    if not hasattr(user, "is_authenticated"):
        user = AnonymousUser()
    return menu_for(user)
