-- wrk script: create items with a JSON body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.body = '{"name": "bench item", "description": "created under load"}'
