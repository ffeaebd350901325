"""The ASGI application, for ASGI servers.

The project is served over WSGI (config/wsgi.py): its views and the ORM are synchronous, and
threads serve them with less overhead than an event loop handing them to threads. Production
settings unless ENVIRONMENT or DJANGO_SETTINGS_MODULE says otherwise.
"""

from django.core.asgi import get_asgi_application

from config.settings import select_settings

select_settings(default="production")

application = get_asgi_application()
