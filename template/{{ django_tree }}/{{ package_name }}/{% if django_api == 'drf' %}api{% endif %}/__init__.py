"""The JSON API (Django REST framework): URLs, OpenAPI, pagination and error bodies."""
