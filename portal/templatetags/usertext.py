"""Text written by people, shown in its own language and direction, and lists in the reader's.

    {% load usertext %}
    <h1>{% usertext need "title" %}</h1>
    {% usertext need "description" tag="div" css="description" %}
    {% usertext decision "title" lang=meeting.text_language %}   (language recorded on a parent)
    {% usertext message lang=interest.language %}                (a plain string)
    {% usertext opportunity "description" tag="div" breaks="p" %}   (paragraphs; "br": line breaks)
    <title>{% usertext need "title" plain=True %}</title>
    {{ person.name|bidi }}                                        (names: no language to claim)
    {% with need_title=need|localized:"title" %}                  (plain text: e-mails)
    {{ values|join_list }}   {% if not forloop.last %}{% list_separator %}{% endif %}

Every piece of text a person wrote is wrapped in an element carrying `lang` (from the language
recorded with it) and `dir="auto"`: the browser isolates it from the page's direction, so a
French title on an Arabic page keeps its punctuation and guillemets in place, and screen readers
switch voice. For multilingual content (portal.multilingual) the reader's language is shown when
someone wrote it; otherwise the original, followed by a small marker naming its language.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatewords
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from portal.enums import Language
from portal.i18n import current_language
from portal.multilingual import ShownText, shown_text

register = template.Library()

ALLOWED_TAGS = frozenset({"span", "div", "p", "q", "small", "strong", "bdi"})


def _language_label(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


def _marker(shown: ShownText, reader: str, multilingual: bool) -> SafeString:
    if shown.machine:
        return format_html(' <small class="text-language">{}</small>', gettext("machine translation"))
    if multilingual and shown.language and shown.language != reader:
        return format_html(' <small class="text-language">{}</small>', _language_label(shown.language))
    return mark_safe("")


@register.simple_tag
def usertext(obj, field=None, *, lang=None, tag="span", css="", marker=True, truncate=None, breaks="", plain=False):
    """`obj.field` (or `obj` itself when no field is named) with its lang and dir; see the module."""
    reader = current_language()
    if field is None:
        shown = ShownText(str(obj or ""), lang or "", original=True)
        multilingual = False
    else:
        shown = shown_text(obj, field, reader)
        multilingual = bool(getattr(obj, "TRANSLATED_FIELDS", ()))
        if lang and shown.original:
            shown = ShownText(shown.text, lang, original=True)
    text = truncatewords(shown.text, truncate) if truncate else shown.text
    if plain:
        return text
    if breaks:  # "p": paragraphs (Django's linebreaks), "br": line breaks; both escape the text
        text = linebreaks_filter(text, autoescape=True) if breaks == "p" else linebreaksbr(text, autoescape=True)
    if tag not in ALLOWED_TAGS:
        raise template.TemplateSyntaxError(f"usertext: unexpected tag {tag!r}")
    attributes = format_html(' class="{}"', css) if css else mark_safe("")
    if shown.language:
        attributes += format_html(' lang="{}"', shown.language)
    body = format_html('<{0}{1} dir="auto">{2}</{0}>', tag, attributes, text)
    return body + (_marker(shown, reader, multilingual) if marker else mark_safe(""))


@register.filter
def localized(obj, field):
    """`obj.field` in the reader's language when it exists, else as written; plain text, for
    e-mails and attributes (`{% with title=need|localized:"title" %}`)."""
    if obj is None or obj == "":
        return ""
    return shown_text(obj, field).text


@register.filter(is_safe=True)
def bidi(value):
    """A name or other short text of unknown language, isolated from the page's direction."""
    if value in (None, ""):
        return value
    return format_html("<bdi>{}</bdi>", value)


def _separator() -> str:
    # Translators: between the items of a list ("France, Lyon"); Arabic uses its own comma.
    return pgettext("list separator", ", ")


@register.simple_tag
def list_separator():
    return _separator()


@register.filter(is_safe=True, needs_autoescape=True)
def join_list(values, autoescape=True):
    """Like `join`, with the reader's list separator."""
    if not autoescape:  # plain-text e-mails
        return _separator().join(str(value) for value in values)
    return format_html_join(_separator(), "{}", ((value,) for value in values))
