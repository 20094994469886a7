"""Arabic as written in Morocco (ar-MA); replaces Django's `ar` module, which is Egyptian-leaning.

- Dates run day, month, year like every Moroccan administration's letters: "4 ديسمبر 2026" and
  04/12/2026. Django's module writes "4 ديسمبر، 2026" and puts RIGHT-TO-LEFT MARKs between the
  parts of the short date: they break copying into a spreadsheet and comparing. They are not
  needed for order: digits joined by "/" or ":" stay one left-to-right run in a right-to-left
  line (Unicode bidi: European numbers with common separators).
- Western digits (0-9), as Morocco writes them; 24-hour time.
- Decimal comma and full-stop thousands separator: CLDR's ar-MA (latn digits) convention, the
  same marks a French-reading official sees, except the thousands mark (a no-break space in
  French). Grouping by three is set here so `number_format(..., force_grouping=True)` and
  `intcomma` group Arabic figures too (Django's own module leaves grouping off). The
  `decimal_separator` and `thousand_separator` are read by `django.utils.formats.localize`,
  which the dashboards use; see docs/decisions/0016-arabic-formats-and-multilingual-content.md.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S.%f", "%d/%m/%Y %H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
