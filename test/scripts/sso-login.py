#!/usr/bin/env python3
"""Signs a staff member in the way a browser does, for scripts (the demo smoke test).

    sso-login.py HOMESERVER_URL RETURN_URL USER PASSWORD OTP_SECRET   -> prints the Matrix login as JSON
    sso-login.py --code OTP_SECRET                                     -> prints the current one-time code

Homeserver's SSO redirect -> the identity provider's (Keycloak's) sign-in form: user name and password,
then the one-time code (RFC 6238 from the seeded secret, as an authenticator app computes it) ->
back to RETURN_URL with a login token -> m.login.token. Standard library only.
"""
import hashlib
import hmac
import html
import http.cookiejar
import json
import re
import struct
import sys
import time
import urllib.parse
import urllib.request


def totp(secret, at=None, step=30, digits=6):
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(secret.encode(), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(value).zfill(digits)


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Keycloak marks its cookies Secure; browsers send those to http://127.0.0.1 (a trustworthy
    origin), Python only over https unless told."""

    def return_ok_secure(self, cookie, request):
        host = urllib.parse.urlparse(request.get_full_url()).hostname or ""
        return request.type == "https" or host == "localhost" or host.startswith("127.")


def form_action(page, form_id):
    match = re.search(r'<form[^>]*id="%s"[^>]*action="([^"]+)"' % form_id, page) or \
        re.search(r'<form[^>]*action="([^"]+)"[^>]*id="%s"' % form_id, page)
    if not match:
        raise SystemExit("sso-login: no form %s on the identity provider's page" % form_id)
    return html.unescape(match.group(1))


def main():
    if sys.argv[1:2] == ["--code"]:
        print(totp(sys.argv[2]))
        return
    homeserver, return_url, user, password, secret = sys.argv[1:6]
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(LoopbackCookies())))
    start = "%s/_matrix/client/v3/login/sso/redirect?redirectUrl=%s" % (homeserver, urllib.parse.quote(return_url, safe=""))
    page = opener.open(start, timeout=30).read().decode()
    post = lambda url, fields: opener.open(url, urllib.parse.urlencode(fields).encode(), timeout=30)
    answer = post(form_action(page, "kc-form-login"), {"username": user, "password": password})
    page = answer.read().decode()
    answer = post(form_action(page, "kc-otp-login-form"), {"otp": totp(secret)})
    token = urllib.parse.parse_qs(urllib.parse.urlparse(answer.geturl()).query).get("loginToken")
    if not token:
        # Keycloak takes each code once: a second sign-in within the same 30 s waits for the next.
        page = answer.read().decode()
        if 'id="kc-otp-login-form"' not in page:
            raise SystemExit("sso-login: the identity provider refused %s (wrong password?)" % user)
        time.sleep(30 - time.time() % 30 + 0.5)
        answer = post(form_action(page, "kc-otp-login-form"), {"otp": totp(secret)})
        token = urllib.parse.parse_qs(urllib.parse.urlparse(answer.geturl()).query).get("loginToken")
    if not token:
        raise SystemExit("sso-login: the identity provider did not sign %s in (wrong password or code?)" % user)
    request = urllib.request.Request("%s/_matrix/client/v3/login" % homeserver,
                                     json.dumps({"type": "m.login.token", "token": token[0]}).encode(),
                                     {"Content-Type": "application/json"})
    print(urllib.request.urlopen(request, timeout=30).read().decode())


main()
