from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """PostgreSQL refuses NUL characters in text, so a NUL in a query parameter or form field
    would surface as a 500 deep in a query. Refuse such a request up front with a clear 400
    (in the API's error format under /api/, as the site's translated page elsewhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for query in (request.GET, request.POST if request.method == "POST" else QueryDict()):
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            message = _("The request contains a NUL character, which cannot be processed.")
            return JsonResponse({"error": {"code": "invalid", "message": message}}, status=400)
        return render(request, "400.html", status=400)
