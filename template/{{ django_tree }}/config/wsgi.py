"""The WSGI application granian serves (`python -m <package>`, see its __main__.py).

Production settings unless ENVIRONMENT or DJANGO_SETTINGS_MODULE says otherwise (see
config/settings/__init__.py).
"""

from django.core.wsgi import get_wsgi_application

from config.settings import select_settings

select_settings(default="production")

application = get_wsgi_application()
