from django.http import QueryDict
from django.shortcuts import render


class RejectNulBytesMiddleware:
    """PostgreSQL refuses NUL characters in text, so a NUL in a query parameter or form field
    would surface as a 500 deep in a query. Refuse such a request up front with a clear 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for query in (request.GET, request.POST if request.method == "POST" else QueryDict()):
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return render(request, "400.html", status=400)
        return self.get_response(request)
