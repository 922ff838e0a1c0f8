"""A ProConnect of our own for the tests, on the loopback: the discovery document, the token
endpoint (an ID token signed with its key, holding the nonce it is told), the userinfo endpoint
(a signed JWT, as ProConnect answers) and the keys. No network beyond 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "fake-proconnect"
CLIENT_SECRET = "secret-du-faux-fournisseur"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProConnect:
    def __init__(self, client_id: str = "maillage", client_secret: str = CLIENT_SECRET) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.key = new_key()
        self.signing_key = self.key  # a test may sign with another key
        self.claims: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}  # forced into every token (a forged issuer…)
        self.nonce: str | None = None
        self.code = "code-autorisation"
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return f"http://{self.domain}/api/v2"

    def start(self) -> "FakeProConnect":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def signed(self, payload: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 60}
        return jwt.encode(
            {**claims, **payload, **self.overrides},
            self.signing_key,
            algorithm="RS256",
            headers={"kid": KEY_ID},
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: str, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self) -> None:
                fake.requests.append(f"GET {self.path}")
                if self.path == "/api/v2/.well-known/openid-configuration":
                    base = fake.issuer
                    document = {
                        "issuer": base,
                        "authorization_endpoint": f"{base}/authorize",
                        "token_endpoint": f"{base}/token",
                        "userinfo_endpoint": f"{base}/userinfo",
                        "jwks_uri": f"{base}/jwks",
                        "userinfo_signing_alg_values_supported": ["RS256"],
                    }
                    self._send(200, json.dumps(document), "application/json")
                elif self.path == "/api/v2/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(fake.key.public_key()))
                    jwk.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
                    self._send(200, json.dumps({"keys": [jwk]}), "application/json")
                elif self.path == "/api/v2/userinfo":
                    if self.headers.get("Authorization") != "Bearer jeton-d-acces":
                        self._send(401, "{}", "application/json")
                        return
                    userinfo = fake.signed({"sub": fake.claims["sub"], **fake.claims})
                    self._send(200, userinfo, "application/jwt; charset=utf-8")
                else:
                    self._send(404, "{}", "application/json")

            def do_POST(self) -> None:
                fake.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if (
                    self.path != "/api/v2/token"
                    or form.get("code") != fake.code
                    or form.get("client_secret") != fake.client_secret
                ):
                    self._send(400, json.dumps({"error": "invalid_grant"}), "application/json")
                    return
                token = {
                    "access_token": "jeton-d-acces",
                    "token_type": "Bearer",
                    "expires_in": 60,
                    "id_token": fake.signed({"sub": fake.claims["sub"], "nonce": fake.nonce}),
                }
                self._send(200, json.dumps(token), "application/json")

        return Handler
