"""The example resource: CRUD over items (controller, schemas, service)."""
