"""The WSGI application gunicorn serves (`gunicorn config.wsgi`).

DJANGO_SETTINGS_MODULE picks the settings; the Docker image sets config.settings.production.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

application = get_wsgi_application()
