"""Walk the URL conf: every route of the site, named or not, with the keyword arguments its
pattern captures, so that a new view is attacked the day it is added."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Tables a request may touch without changing anything anyone owns: the session row, the
# sign-in attempts log, the admin's log, and the read log (an authorised GET of an expert is
# recorded for that expert: diaspora.access_log).
VOLATILE_TABLES = {
    "diaspora_profileread",
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_admin_log",
}


@dataclass(frozen=True)
class Route:
    name: str | None  # "app:name", or None for an unnamed pattern
    pattern: str  # the full pattern, language prefix included, for messages
    kwargs: tuple[str, ...]  # what the pattern captures, in order
    defaults: tuple = ()  # extra kwargs the URL conf passes (e.g. {"action": "join"})
    callback: object = field(default=None, compare=False, hash=False)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith(("^api", "api/"))

    @property
    def is_admin(self) -> bool:
        return bool(re.match(r"^[a-z]{2}/admin/", self.pattern))


def _captured(pattern) -> list[str]:
    return list(pattern.regex.groupindex)


def walk(patterns=None, prefix: str = "", namespace: str = "", captured: tuple = ()) -> list[Route]:
    """Every URLPattern under `patterns` (the root URL conf by default), through every include,
    namespace and i18n prefix."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for entry in patterns:
        names = (*captured, *_captured(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += walk(entry.url_patterns, prefix + str(entry.pattern), ns, names)
        elif isinstance(entry, URLPattern):
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(
                Route(
                    name=name,
                    pattern=prefix + str(entry.pattern),
                    kwargs=names,
                    defaults=tuple(sorted(entry.default_args.items())),
                    callback=entry.callback,
                )
            )
    return routes


def writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table but the volatile
    ones (PostgreSQL's own counters: cheap, and an UPDATE that rewrites a row with its own
    values counts too). Equal before and after a request means the request wrote nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {table: count for table, count in cursor.fetchall() if count and table not in VOLATILE_TABLES}


def changed_tables(before: dict, after: dict, ignore=()) -> list[str]:
    return sorted(t for t in set(before) | set(after) if t not in ignore and before.get(t) != after.get(t))


class _FormParser(HTMLParser):
    """The forms of a page: method, action and the values a browser would submit as they are."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "data": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            value = a.get("value") or ("on" if kind == "checkbox" else "")
            self._form["data"].append((a["name"], value, kind, "required" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], "", "required" in a]
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": []}
            self._select |= {"multiple": "multiple" in a, "required": "required" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None and value:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text, required = self._textarea
            self._form["data"].append((name, text.lstrip("\n"), "textarea", required))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            chosen = [v for v in select["chosen"] if v]
            if not chosen and (select["required"] or not select["multiple"]) and select["first"]:
                chosen = [select["first"]] if select["required"] or not select["chosen"] else []
            for value in chosen:
                self._form["data"].append((select["name"], value, "select", select["required"]))
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


CSRF_REFUSED_HEADER = "X-Jusur-Test-Csrf-Refused"


def csrf_refused(request, reason=""):
    """CSRF_FAILURE_VIEW during the CSRF walk: a 403 the walk can tell from any other 403."""
    from django.http import HttpResponseForbidden

    response = HttpResponseForbidden("CSRF refused")
    response[CSRF_REFUSED_HEADER] = "1"
    return response


def body_of(response) -> str:
    """The whole body, streamed or not, as text (bytes that are not UTF-8 are kept visible)."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return content.decode("utf-8", "replace")
