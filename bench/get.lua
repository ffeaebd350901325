-- wrk script: plain GETs as they arrive through a TLS-terminating proxy.
wrk.headers["X-Forwarded-Proto"] = "https"
