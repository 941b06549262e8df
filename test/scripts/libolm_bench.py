#!/usr/bin/python3
"""Times libolm (Debian python3-olm) on the operations of CryptoBenchmark.java, for ratios.

Every figure includes python3-olm's overhead per call (CFFI call, buffer allocation, base64 and
UTF-8 handling in Python); the "python call floor" line measures a trivial call
(OutboundGroupSession.message_index) so readers can see how large that overhead is.
Prints one JSON object: operation -> operations per second (best of the rounds), by the wall
clock; and "cpu" -> the same by this thread's CPU time (time.thread_time), which other jobs on a
shared machine disturb far less.
"""
import json
import sys
import time

import olm

PLAINTEXT = ('{"type":"m.room.message","content":{"msgtype":"m.notice",'
             '"body":"Praatbrug: de sessie is gestart. Deze ruimte is versleuteld."},"room_id":"!abc:caw.example"}')
BATCH = 1000


CPU = {}


def rate(operation, count, seconds_per_round=2.0, rounds=3, name=None):
    """Best of `rounds` rounds: each round repeats `operation` (which does `count` ops) for ~2 s.
    Returns wall-clock ops/s; the CPU-time ops/s goes to CPU[name]."""
    operation()  # warm-up
    best = 0.0
    best_cpu = 0.0
    for _ in range(rounds):
        done = 0
        start = time.perf_counter()
        cpu_start = time.thread_time()
        while True:
            operation()
            done += count
            elapsed = time.perf_counter() - start
            if elapsed >= seconds_per_round:
                break
        best = max(best, done / elapsed)
        best_cpu = max(best_cpu, done / max(time.thread_time() - cpu_start, 1e-9))
    if name:
        CPU[name] = best_cpu
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
        "megolmEncrypt": rate(lambda: outbound.encrypt(PLAINTEXT), 1, name="megolmEncrypt"),
        "megolmDecrypt": rate(decrypt_batch, BATCH, name="megolmDecrypt"),
        "olmOutboundSession": rate(lambda: olm.OutboundSession(alice, bob_identity, bob_fallback), 1,
                                   name="olmOutboundSession"),
        "olmHandshake": rate(handshake, 1, name="olmHandshake"),
        "pythonCallFloor": rate(lambda: outbound.message_index, 1, seconds_per_round=1.0),
    }
    results["cpu"] = CPU
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
