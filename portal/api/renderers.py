"""The API's JSON renderer: DRF's, that never fails on text it cannot encode.

JSON input may carry a lone surrogate ("\\ud800" is valid JSON, but no UTF-8 character); DRF's
"… is not a valid choice" message echoes the input, and encoding that answer in UTF-8 raised
UnicodeEncodeError (a 500). The exception handler already replaces such characters in error
messages; this is the net for anything else.
"""

import re

from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

# Surrogate code points (U+D800-U+DFFF) are the only str characters UTF-8 cannot encode.
SURROGATES = re.compile("[\ud800-\udfff]")


def unencodable_replaced(data):
    """`data` with every lone surrogate replaced by U+FFFD, in strings, keys and nested lists."""
    if isinstance(data, str):
        return SURROGATES.sub("\ufffd", data)
    if isinstance(data, dict):
        return {unencodable_replaced(key): unencodable_replaced(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [unencodable_replaced(item) for item in data]
    return data


class JSONRenderer(DRFJSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return super().render(unencodable_replaced(data), accepted_media_type, renderer_context)
