-- wrk script: POSTs the AdmissionReview in $REVIEW_FILE as JSON on every request.
local file = assert(io.open(os.getenv("REVIEW_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
