"""The background queue's own machinery: which workers are alive (`presence`), what a stopped
worker left behind (`recovery`) and the worker itself (`worker`, `sijill worker`).

The queue is Django's Tasks API with django-tasks-db's database backend: tasks are rows of
the back office's own database, so it needs no broker on SQLite or PostgreSQL alike.
"""
