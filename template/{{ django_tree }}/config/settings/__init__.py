"""Settings per environment: local (development), test and production, all built on base.

Pick one with DJANGO_SETTINGS_MODULE; manage.py and the WSGI app default to local.
"""
