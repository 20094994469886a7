"""An iCalendar (RFC 5545) file for one consultation meeting, written by hand: one event needs
no library."""

from datetime import UTC, datetime

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


def meeting_ics(meeting, *, url: str, with_link: bool = False, domain: str = "jusur") -> str:
    """The meeting's public part; the online link only `with_link` (regions.selectors' rule)."""
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
        f"SUMMARY:{_escape(meeting.title)}",
        f"STATUS:{'CANCELLED' if meeting.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
        f"URL:{url}",
    ]
    location = meeting.place or (meeting.online_url if with_link else "")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if meeting.agenda:
        lines.append(f"DESCRIPTION:{_escape(meeting.agenda)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
