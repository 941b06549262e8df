#!/usr/bin/python3
"""An end-to-end encrypting Matrix client for E2eeBotDeviceIT: matrix-nio with libolm (Debian).

Usage: nio_e2ee_client.py HOMESERVER_URL USER_ID PASSWORD BOT_USER_ID [ROOM_ID]
Talks JSON lines: prints {"room_id": ...} once its encrypted room (bot invited) exists, or, given
ROOM_ID, once this new device of the user has synced that room; then reads
commands on stdin and answers each with one JSON line:
  {"op": "await_notice", "body": T}  -> {"notice": BODY, "sender": ..., "decrypted": ...} for the first
                                        not yet reported notice whose body contains T
  {"op": "send", "body": B}          -> {"event_id": ...} after sending an encrypted m.text message
  {"op": "send_file", "body": N}     -> {"event_id": ..., "content_uri": ...} after uploading N random
                                        bytes as an encrypted attachment (as Element does: ciphertext,
                                        no name) and sending its m.file message
Nothing here is mocked: nio does its own key upload, key queries, Olm sessions and Megolm.
"""
import asyncio
import json
import os
import sys
import tempfile

from nio import (AsyncClient, AsyncClientConfig, LoginResponse, MegolmEvent, RoomCreateResponse,
                 RoomMessageNotice, RoomMessageText, RoomSendResponse, UploadResponse)


def say(answer):
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


class Client:
    def __init__(self, url, user_id, password, bot, room_id=None):
        self.client = AsyncClient(url, user_id, store_path=tempfile.mkdtemp(prefix="nio-store-"),
                                  config=AsyncClientConfig(encryption_enabled=True))
        self.password = password
        self.bot = bot
        self.room_id = room_id
        self.seen = []
        self.undecrypted = []
        self.reported = set()

    async def start(self):
        login = await self.client.login(self.password, device_name="nio E2EE test client")
        if not isinstance(login, LoginResponse):
            raise SystemExit("login failed: %s" % login)
        await self.keep_keys()
        if self.room_id:
            await self.client.sync(timeout=1000, full_state=True)
            await self.keep_keys()
            say({"room_id": self.room_id, "device_id": self.client.device_id})
            return
        created = await self.client.room_create(invite=[self.bot], is_direct=True, initial_state=[{
            "type": "m.room.encryption", "state_key": "",
            "content": {"algorithm": "m.megolm.v1.aes-sha2"}}])
        if not isinstance(created, RoomCreateResponse):
            raise SystemExit("room creation failed: %s" % created)
        self.room_id = created.room_id
        await self.client.sync(timeout=1000, full_state=True)
        say({"room_id": self.room_id, "device_id": self.client.device_id})

    async def keep_keys(self):
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        if self.client.should_query_keys:
            await self.client.keys_query()

    async def sync_once(self):
        response = await self.client.sync(timeout=2000)
        await self.keep_keys()
        room = getattr(response, "rooms", None)
        joined = room.join.get(self.room_id) if room else None
        if joined:
            for event in joined.timeline.events:
                if isinstance(event, MegolmEvent):
                    self.undecrypted.append(event)
                else:
                    self.seen.append(event)
        still = []
        for event in self.undecrypted:
            try:
                self.seen.append(self.client.decrypt_event(event))
            except Exception:  # the room key has not arrived yet
                still.append(event)
        self.undecrypted = still

    async def await_notice(self, body, timeout=90):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            for event in self.seen:
                if (isinstance(event, RoomMessageNotice) and body in event.body
                        and event.event_id not in self.reported):
                    self.reported.add(event.event_id)
                    return {"notice": event.body, "sender": event.sender, "decrypted": event.decrypted}
            await self.sync_once()
        return {"error": "no decrypted notice within %d s; %d undecryptable" % (timeout, len(self.undecrypted))}

    async def send(self, body):
        await self.sync_once()
        await self.keep_keys()
        sent = await self.client.room_send(self.room_id, "m.room.message", {"msgtype": "m.text", "body": body},
                                           ignore_unverified_devices=True)
        if not isinstance(sent, RoomSendResponse):
            return {"error": "send failed: %s" % sent}
        return {"event_id": sent.event_id}

    async def send_file(self, size):
        await self.sync_once()
        await self.keep_keys()
        data = os.urandom(int(size))
        uploaded, keys = await self.client.upload(lambda *_: data, encrypt=True, filesize=len(data))
        if not isinstance(uploaded, UploadResponse):
            return {"error": "upload failed: %s" % uploaded}
        keys["url"] = uploaded.content_uri
        content = {"msgtype": "m.file", "body": "brief.pdf",
                   "info": {"mimetype": "application/pdf", "size": len(data)}, "file": keys}
        sent = await self.client.room_send(self.room_id, "m.room.message", content,
                                           ignore_unverified_devices=True)
        if not isinstance(sent, RoomSendResponse):
            return {"error": "send failed: %s" % sent}
        return {"event_id": sent.event_id, "content_uri": uploaded.content_uri}


async def main():
    url, user_id, password, bot = sys.argv[1:5]
    client = Client(url, user_id, password, bot, sys.argv[5] if len(sys.argv) > 5 else None)
    await client.start()
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        request = json.loads(line)
        if request["op"] == "await_notice":
            say(await client.await_notice(request["body"]))
        elif request["op"] == "send":
            say(await client.send(request["body"]))
        elif request["op"] == "send_file":
            say(await client.send_file(request["body"]))
        else:
            say({"error": "unknown op"})
    await client.client.close()


if __name__ == "__main__":
    asyncio.run(main())
