"""Static files (the admin's, the API docs' Swagger UI): hashed and compressed once collected."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


# whitenoise ships no type information: its class is Any to mypy.
class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """WhiteNoise's storage, naming files as they are until collectstatic has run.

    The image collects the files at build time: hashed names, compressed, cached for a year.
    A server started from a checkout without that step (`make serve`) would otherwise fail
    every page that names a static file; production settings then let WhiteNoise find the
    files in the installed apps.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: nothing was collected
            return name
        return str(super().stored_name(name))
