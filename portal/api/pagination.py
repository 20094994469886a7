from urllib import parse

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.utils.urls import replace_query_param

from .cursors import cursor_open, cursor_seal
from .permissions import request_token


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class CursorPagination(pagination.CursorPagination):
    """For the large lists (experts, skills): stable under inserts, no COUNT(*).

    The cursor is opaque (portal.api.cursors): nothing about the position (a key, a date) can
    be read from it, and it is valid only for the list, ordering and caller it was issued to.
    A forged or garbled cursor is a 400 in the API's error format.
    """

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    ordering = "pk"
    invalid_cursor_message = _("Invalid cursor. Start again from the first page.")

    def _context(self, request) -> str:
        token = request_token(request)
        if token is not None:
            caller = f"partner:{token.partner_id}"
        else:
            caller = f"user:{request.user.pk}" if request.user.is_authenticated else "anonymous"
        return f"{request.path}|{caller}|{','.join(self.ordering)}"

    def decode_cursor(self, request):
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        querystring = cursor_open(token, context=self._context(request))
        try:
            if querystring is None:
                raise ValueError
            tokens = parse.parse_qs(querystring, keep_blank_values=True)
            offset = pagination._positive_int(tokens.get("o", ["0"])[0], cutoff=self.offset_cutoff)
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (TypeError, ValueError):
            raise exceptions.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        return pagination.Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor):
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        sealed = cursor_seal(parse.urlencode(tokens, doseq=True), context=self._context(self.request))
        return replace_query_param(self.base_url, self.cursor_query_param, sealed)
