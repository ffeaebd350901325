"""The WSGI application granian serves (`python -m <package>`, see its __main__.py).

DJANGO_SETTINGS_MODULE picks the settings; the Docker image sets config.settings.production.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

application = get_wsgi_application()
