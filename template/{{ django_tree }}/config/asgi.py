"""The ASGI application, for ASGI servers.

The project is served over WSGI (config/wsgi.py): its views and the ORM are synchronous, and
threads serve them with less overhead than an event loop handing them to threads.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

application = get_asgi_application()
