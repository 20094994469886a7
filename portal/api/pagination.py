from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class CursorPagination(pagination.CursorPagination):
    """For the large lists (experts, skills): stable under inserts, no COUNT(*)."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    ordering = "pk"
