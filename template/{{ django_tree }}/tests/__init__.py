"""The tests: `make test` runs them with pytest-django on a throw-away database."""
