from rest_framework.renderers import BaseRenderer

from dashboards.exports import table_csv


class OpenDataCSVRenderer(BaseRenderer):
    """A table's rows as CSV (UTF-8 with a BOM); `?format=csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "columns" not in data:
            # An error or a list: fall back to a one-column message.
            return table_csv(["detail"], [[str(data)]])
        columns = data["columns"]
        return table_csv(columns, [[row.get(c) for c in columns] for row in data["rows"]])
