"""The webhooks app: the events other systems sent us, as the FastAPI service stored them.

Django owns the table (its model and migrations) and shows it in the admin; the service in
api/ writes the rows, one per delivery, with SQLAlchemy.
"""
