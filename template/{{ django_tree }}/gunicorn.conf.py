"""gunicorn's settings, read from the environment (gunicorn loads ./gunicorn.conf.py itself).

`make serve` and the Docker image's CMD both run `gunicorn config.wsgi`, so they match.
"""

import environ

env = environ.Env()

# Load the app in the master before forking workers: a bad setting stops start-up once, with
# its name, and the workers share the loaded code's memory.
preload_app = True

bind = f"{env.str('HOST', default='127.0.0.1')}:{env.int('PORT', default=8000)}"
workers = env.int("WEB_CONCURRENCY", default=1)
# Threaded workers: each thread serves one request at a time, so a worker waiting on the
# database still serves others. Each worker's database pool holds WEB_THREADS connections.
worker_class = "gthread"
threads = env.int("WEB_THREADS", default=4)
# Off by default: Django logs failed requests (4xx and 5xx) itself.
accesslog = "-" if env.bool("ACCESS_LOG", default=False) else None
# No runtime control socket (gunicornc): the container's user has no home directory for it.
control_socket_disable = True
