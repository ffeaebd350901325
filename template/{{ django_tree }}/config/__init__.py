"""Project configuration: settings, the URL map and the WSGI/ASGI entry points."""
