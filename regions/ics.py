"""An iCalendar (RFC 5545) file for one consultation meeting, written by hand: one event needs
no library."""

from datetime import UTC, datetime

from portal.multilingual import shown_text

from .enums import MeetingStatus


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(name: str, shown) -> str:
    # RFC 5545's LANGUAGE parameter: calendars pick the spell-checker and voice from it.
    language = f";LANGUAGE={shown.language}" if shown.language else ""
    return f"{name}{language}:{_escape(shown.text)}"


def meeting_ics(meeting, *, url: str, with_link: bool = False, domain: str = "jusur") -> str:
    """The meeting's public part, in the active language when the summary was translated (times
    in UTC); the online link only `with_link` (regions.selectors' rule)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Jusur//Regional consultations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{_utc(meeting.updated_at or meeting.created_at)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        _text("SUMMARY", shown_text(meeting, "title")),
        f"STATUS:{'CANCELLED' if meeting.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
        f"URL:{url}",
    ]
    location = meeting.place or (meeting.online_url if with_link else "")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if meeting.agenda:
        lines.append(_text("DESCRIPTION", shown_text(meeting, "agenda")))
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
