"""The example background job: reports (controller, schemas, service)."""
