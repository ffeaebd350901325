"""Reports: how many items there were, counted by a background job (POST /api/reports)."""
