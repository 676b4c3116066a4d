# Shared by run.sh and server_run.sh; sourced, not run. The functions use the caller's $work
# (a scratch directory), $here (this directory) and $duration (seconds per wrk run).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# make_certificates: one CA and one ECDSA P-256 serving certificate for 127.0.0.1 in $work
# (ca.crt, tls.crt, tls.key), used by every server of a run.
make_certificates() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=bench-ca -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
    -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >"$work/ext.cnf"
  openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -set_serial 1 -days 1 -extfile "$work/ext.cnf" -out "$work/tls.crt" 2>/dev/null
}

# start_nginx PORT WORKERS: nginx over TLS on 127.0.0.1:PORT answering every request with the
# bytes of $work/response.json; its pid is in $work/nginx.pid.
start_nginx() {
  mkdir -p "$work/nginx"
  cat >"$work/nginx.conf" <<NGINX
worker_processes $2;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$1 ssl;
    ssl_certificate $work/tls.crt;
    ssl_certificate_key $work/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size 1m;
    client_body_buffer_size 64k;
    location / {
      default_type application/json;
      return 200 '$(cat "$work/response.json")';
    }
  }
}
NGINX
  nginx -c "$work/nginx.conf" -e "$work/nginx/error.log"
}

# wrk_run URL CONNECTIONS: "requests_per_second p99_ms" of a ${duration}s wrk run posting
# $work/review.json, after a 2 s warm-up; exits when any request failed.
wrk_run() {
  REVIEW_FILE="$work/review.json" wrk -t1 -c"$2" -d2s -s "$here/post.lua" "$1" >/dev/null
  REVIEW_FILE="$work/review.json" wrk -t1 -c"$2" -d"${duration}s" --latency \
    -s "$here/post.lua" "$1" >"$work/wrk.out"
  if grep -q 'Non-2xx\|Socket errors' "$work/wrk.out"; then cat "$work/wrk.out" >&2; exit 1; fi
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000
    }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f\n", rps, p99 }' "$work/wrk.out"
}

# median COLUMN_EXPRESSION: the median over the lines of $work/rounds.txt of an awk
# expression of their columns.
median() {
  awk "{ print $1 }" "$work/rounds.txt" | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.6g\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# round_order ROUND NAME...: sets `order` to the names as given in odd rounds and reversed in
# even ones, so that no server always runs first or last in a round.
round_order() {
  local round=$1 i
  shift
  order=("$@")
  if ((round % 2 == 0)); then
    order=()
    for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done
  fi
}
