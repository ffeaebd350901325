"""JSON bodies for the errors Django answers itself: unknown URLs, bad requests, crashes.

API clients then get JSON from every URL. With DEBUG on, Django shows its debug pages instead.
"""

from django.http import HttpRequest, JsonResponse


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Bad Request"}, status=400)


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return JsonResponse({"detail": "Not Found"}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error"}, status=500)
