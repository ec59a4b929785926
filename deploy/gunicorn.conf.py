# gunicorn settings for the production mode; every figure can be overridden from the environment.
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
max_requests = 2000  # recycle workers to bound memory growth from large uploads
max_requests_jitter = 200
accesslog = "-"
# Path without the query string, and no Referer (the previous page's whole address): a search's parameters
# are personal data, and an access log is kept and read far more widely than the database (issue 25).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)ss'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
