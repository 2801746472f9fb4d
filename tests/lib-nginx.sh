# Debian's nginx with contrib/nginx/support-inbox.conf (paths and ports put
# in by sed, nothing else changed) and a self-signed certificate, in front
# of the daemon on $SI_PORT. Source it after tests/lib.sh and si_config;
# si_nginx leaves N (its directory: tls.crt, logs), NGPORT and URL (the
# webhook through it), and its pid in si_pids (the EXIT trap stops it).
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

si_nginx() {
	N=$T/nginx
	mkdir -p "$N"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    -keyout "$N/tls.key" -out "$N/tls.crt" >"$N/openssl.out" 2>&1
	check "openssl makes a self-signed certificate" test -s "$N/tls.crt"

	# site PORT: the contrib config for this test, on PORT, in front of the
	# daemon, logging under $N.
	site() {
		sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$SI_PORT;|" \
		    -e "s|listen 443 ssl;|listen 127.0.0.1:$1 ssl;|" \
		    -e '/listen \[::\]:443 ssl;/d' \
		    -e "s|server_name inbox.example.com;|server_name 127.0.0.1;|" \
		    -e "s|ssl_certificate /etc/letsencrypt/.*|ssl_certificate $N/tls.crt;|" \
		    -e "s|ssl_certificate_key /etc/letsencrypt/.*|ssl_certificate_key $N/tls.key;|" \
		    -e "s|/var/log/nginx/|$N/|" \
		    "$SI_TOP/contrib/nginx/support-inbox.conf" >"$N/site.conf"
	}
	cat >"$N/nginx.conf" <<-EOF
	daemon off;
	worker_processes 1;
	pid $N/nginx.pid;
	error_log $N/main-error.log info;
	events {
		worker_connections 64;
	}
	http {
		access_log $N/main-access.log;
		client_body_temp_path $N/tmp-body;
		proxy_temp_path $N/tmp-proxy;
		fastcgi_temp_path $N/tmp-fastcgi;
		uwsgi_temp_path $N/tmp-uwsgi;
		scgi_temp_path $N/tmp-scgi;
		include $N/site.conf;
	}
	EOF
	site 1
	check_eq "sed put in every path and port (nothing of the example left)" "" \
	    "$(grep -v '^[[:space:]]*#' "$N/site.conf" |
	    grep -nE '8080|443|example\.com|/etc/|/var/log')"
	check "nginx -t accepts the contrib config" \
	    quiet "$NGINX" -t -p "$N" -e "$N/startup.log" -c "$N/nginx.conf"

	# Started in the foreground on a free port (another, if the port is taken).
	_try=0
	while [ $_try -lt 5 ]; do
		NGPORT=$(si_port)
		site "$NGPORT"
		: >"$N/startup.log"
		"$NGINX" -p "$N" -e "$N/startup.log" -c "$N/nginx.conf" \
		    >"$N/nginx.out" 2>&1 &
		NGPID=$!
		si_pids="$si_pids $NGPID"
		si_until curl -s -o /dev/null --cacert "$N/tls.crt" \
		    "https://127.0.0.1:$NGPORT/" && break
		kill "$NGPID" 2>/dev/null
		wait "$NGPID" 2>/dev/null
		_try=$((_try + 1))
	done
	# (nginx is in si_pids: the EXIT trap of tests/lib.sh stops it whatever
	# happens below.)
	check "nginx answers https on loopback" \
	    quiet curl -s --cacert "$N/tls.crt" "https://127.0.0.1:$NGPORT/"
	URL="https://127.0.0.1:$NGPORT/webhook"
}
