# A stand-in for an event hook's receiver (tests/integ/hooks*.sh): HTTPS
# with a throwaway self-signed certificate, or plain HTTP. Each request's
# headers and body go to DIR/req-N.json; while the file DIR/fail holds a
# number above 0 it answers 500 and counts it down. Prints its port.
import http.server, json, os, ssl, sys

d, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
n = [0]

class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        ln = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(ln).decode()
        n[0] += 1
        with open(os.path.join(d, 'req-%d.json' % n[0]), 'w') as f:
            json.dump({'headers': dict(self.headers), 'body': body}, f)
        code = 200
        fp = os.path.join(d, 'fail')
        if os.path.exists(fp):
            left = int(open(fp).read().strip() or '0')
            if left > 0:
                open(fp, 'w').write(str(left - 1))
                code = 500
        self.send_response(code)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'ok')

    def log_message(self, *a):
        pass

s = http.server.HTTPServer(('127.0.0.1', 0), H)
if cert != '-':
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
