"""The items app: the example resource, with its model, admin, API and migrations."""
