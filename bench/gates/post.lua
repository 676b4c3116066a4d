-- wrk script: POSTs the inference request in $BODY_FILE as JSON on every request, as the
-- stress gate's load generator does.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
