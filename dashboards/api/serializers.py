from rest_framework import serializers

from dashboards.dictionary import COLUMNS, LICENCE_NAME, LICENCE_URL, POPULATION_NOTE, TOTAL_NOTE
from dashboards.models import OpenDataSnapshot


class OpenDataSnapshotSerializer(serializers.ModelSerializer):
    """One protected open-data table with its dictionary, licence and last update."""

    title = serializers.CharField(source="get_table_display", read_only=True)
    licence = serializers.SerializerMethodField()
    dictionary = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    last_updated = serializers.DateTimeField(source="refreshed_at", read_only=True)
    columns = serializers.ListField(child=serializers.CharField(), read_only=True)
    rows = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = OpenDataSnapshot
        fields = ["table", "title", "licence", "last_updated", "dictionary", "notes", "columns", "rows"]

    def get_licence(self, obj) -> dict[str, str]:
        return {"name": LICENCE_NAME, "url": LICENCE_URL}

    def get_dictionary(self, obj) -> dict[str, str]:
        return {c: str(COLUMNS.get(c, "")) for c in obj.columns}

    def get_notes(self, obj) -> list[str]:
        return [str(TOTAL_NOTE), str(POPULATION_NOTE)]
