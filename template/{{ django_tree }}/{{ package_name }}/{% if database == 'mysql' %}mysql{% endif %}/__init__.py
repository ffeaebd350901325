"""Django's MySQL backend, checking connections without a round trip (see base.py).

Settings name it as the database ENGINE (config/settings/base.py); Django loads its `base`.
"""
