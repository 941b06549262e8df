#!/usr/bin/python3
"""Times libolm (Debian python3-olm) on the operations of CryptoBenchmark.java, for ratios.

Every figure includes python3-olm's overhead per call (CFFI call, buffer allocation, base64 and
UTF-8 handling in Python); the "python call floor" line measures a trivial call
(OutboundGroupSession.message_index) so readers can see how large that overhead is.
Prints one JSON object: operation -> operations per second (best of the rounds).
"""
import json
import sys
import time

import olm

PLAINTEXT = ('{"type":"m.room.message","content":{"msgtype":"m.notice",'
             '"body":"Praatbrug: de sessie is gestart. Deze ruimte is versleuteld."},"room_id":"!abc:caw.example"}')
BATCH = 1000


def rate(operation, count, seconds_per_round=2.0, rounds=3):
    """Best of `rounds` rounds: each round repeats `operation` (which does `count` ops) for ~2 s."""
    operation()  # warm-up
    best = 0.0
    for _ in range(rounds):
        done = 0
        start = time.perf_counter()
        while True:
            operation()
            done += count
            elapsed = time.perf_counter() - start
            if elapsed >= seconds_per_round:
                break
        best = max(best, done / elapsed)
    return best


def main():
    outbound = olm.OutboundGroupSession()
    source = olm.OutboundGroupSession()
    session_key = source.session_key
    batch = [source.encrypt(PLAINTEXT) for _ in range(BATCH)]

    def decrypt_batch():
        inbound = olm.InboundGroupSession(session_key)
        for message in batch:
            inbound.decrypt(message)

    alice = olm.Account()
    bob = olm.Account()
    bob.generate_fallback_key()
    bob_fallback = list(bob.fallback_key["curve25519"].values())[0]
    bob_identity = bob.identity_keys["curve25519"]

    def handshake():
        session = olm.OutboundSession(alice, bob_identity, bob_fallback)
        first = session.encrypt(PLAINTEXT)
        inbound = olm.InboundSession(bob, first)
        inbound.decrypt(first)

    results = {
        "megolmEncrypt": rate(lambda: outbound.encrypt(PLAINTEXT), 1),
        "megolmDecrypt": rate(decrypt_batch, BATCH),
        "olmOutboundSession": rate(lambda: olm.OutboundSession(alice, bob_identity, bob_fallback), 1),
        "olmHandshake": rate(handshake, 1),
        "pythonCallFloor": rate(lambda: outbound.message_index, 1, seconds_per_round=1.0),
    }
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
