#!/usr/bin/python3
"""A libolm peer for the Java interop tests, driven by JSON lines over stdin/stdout.

Key export files go through matrix-nio's own implementation (nio.crypto.key_export).

Each request is one JSON object {"op": ..., ...}; each answer is one JSON object, either the
result or {"error": "<libolm error>"}. Objects (accounts, sessions) live in this process and are
named by integer handles. Uses Debian's python3-olm, i.e. the real libolm C library.
"""
import json
import sys

import olm

objects = {}


def keep(obj):
    handle = len(objects) + 1
    objects[handle] = obj
    return handle


def olm_message(req):
    if req["type"] == 0:
        return olm.OlmPreKeyMessage(req["body"])
    return olm.OlmMessage(req["body"])


def handle(req):
    op = req["op"]
    if op == "account_new":
        account = olm.Account()
        return {"account": keep(account), "identity_keys": account.identity_keys}
    if op == "account_one_time_keys":
        account = objects[req["account"]]
        account.generate_one_time_keys(req["count"])
        keys = account.one_time_keys["curve25519"]
        account.mark_keys_as_published()
        return {"one_time_keys": keys}
    if op == "account_fallback_key":
        account = objects[req["account"]]
        account.generate_fallback_key()
        keys = account.fallback_key["curve25519"]
        account.mark_keys_as_published()
        return {"fallback_key": keys}
    if op == "account_sign":
        return {"signature": objects[req["account"]].sign(req["message"])}
    if op == "ed25519_verify":
        try:
            olm.ed25519_verify(req["key"], req["message"], req["signature"])
            return {"valid": True}
        except olm.OlmVerifyError:
            return {"valid": False}
    if op == "session_outbound":
        session = olm.OutboundSession(objects[req["account"]], req["identity_key"], req["one_time_key"])
        return {"session": keep(session), "session_id": session.id}
    if op == "session_inbound":
        account = objects[req["account"]]
        session = olm.InboundSession(account, olm_message(req), req.get("identity_key"))
        account.remove_one_time_keys(session)
        return {"session": keep(session), "session_id": session.id}
    if op == "session_matches":
        return {"matches": objects[req["session"]].matches(olm_message(req), req.get("identity_key"))}
    if op == "session_encrypt":
        message = objects[req["session"]].encrypt(req["plaintext"])
        return {"type": message.message_type, "body": message.ciphertext}
    if op == "session_decrypt":
        return {"plaintext": objects[req["session"]].decrypt(olm_message(req), unicode_errors="strict")}
    if op == "group_outbound":
        group = olm.OutboundGroupSession()
        return {"group": keep(group), "session_id": group.id, "session_key": group.session_key}
    if op == "group_session_key":
        group = objects[req["group"]]
        return {"session_key": group.session_key, "message_index": group.message_index}
    if op == "group_encrypt":
        group = objects[req["group"]]
        index = group.message_index
        return {"ciphertext": group.encrypt(req["plaintext"]), "message_index": index}
    if op == "group_inbound":
        group = olm.InboundGroupSession(req["session_key"])
        return {"group": keep(group), "session_id": group.id, "first_known_index": group.first_known_index}
    if op == "group_import":
        group = olm.InboundGroupSession.import_session(req["exported"])
        return {"group": keep(group), "session_id": group.id, "first_known_index": group.first_known_index}
    if op == "group_decrypt":
        plaintext, index = objects[req["group"]].decrypt(req["ciphertext"], unicode_errors="strict")
        return {"plaintext": plaintext, "message_index": index}
    if op == "group_export":
        return {"exported": objects[req["group"]].export_session(req["index"])}
    if op == "export_encrypt":
        from nio.crypto import key_export
        body = key_export.encrypt(req["data"].encode("utf-8"), req["passphrase"], count=req["rounds"])
        return {"file": key_export.HEADER + "\n" + body + "\n" + key_export.FOOTER}
    if op == "export_decrypt":
        from nio.crypto import key_export
        text = req["file"].replace("\n", "")
        body = text[len(key_export.HEADER):-len(key_export.FOOTER)]
        try:
            return {"data": key_export.decrypt(body, req["passphrase"]).decode("utf-8")}
        except ValueError as error:
            return {"error": "EXPORT: " + str(error)}
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            answer = handle(json.loads(line))
        except (olm.OlmAccountError, olm.OlmSessionError, olm.OlmGroupSessionError) as error:
            answer = {"error": str(error)}
        except (ValueError, UnicodeDecodeError) as error:
            answer = {"error": "PYTHON: " + type(error).__name__}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
