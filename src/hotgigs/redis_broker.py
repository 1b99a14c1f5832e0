"""kombu's Redis transport, plus lease holders: a gone consumer's messages come back at once.

kombu keeps each delivered, unacknowledged message in an ``unacked`` hash and gives it back
only when the visibility timeout has passed (10 minutes here), because it cannot tell a
slow consumer from a dead one. This transport records which consuming channel holds each
message (``unacked_owner``) and lets every channel say it is alive (``unacked_consumers``,
a sorted set of last-seen times) each time it checks for expired messages. A channel that
has been silent for ``consumer_timeout`` seconds (its worker was killed, or lost Redis and
reconnected under a new channel) is gone: any live channel gives its messages back.
Messages without a recorded holder (left by an older version) still wait for the timeout.

kombu takes a message off its queue (BRPOP) before it files it as unacknowledged; when Redis
goes away between the two, the message was in neither place. Such a message is kept in the
process and pushed back onto its queue by the next sweep that reaches Redis.

Selected with Celery's ``broker_transport = "hotgigs.redis_broker:Transport"``; the URL stays
``redis://``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any

from kombu.transport import redis as kombu_redis

__all__ = ["CONSUMERS_KEY", "DEFAULT_CONSUMER_TIMEOUT", "OWNERS_KEY", "Channel", "Transport"]

# Delivery tag -> id of the channel it was delivered to.
OWNERS_KEY = "unacked_owner"
# Channel id -> when it last said it is alive (seconds since the epoch).
CONSUMERS_KEY = "unacked_consumers"
DEFAULT_CONSUMER_TIMEOUT = 30.0

log = logging.getLogger(__name__)

# Messages taken off a queue that could not be filed as unacknowledged because Redis went
# away (payload, exchange, routing key): the connection they came on is gone with it, so any
# channel of this process gives them back once Redis answers.
_unfiled: list[tuple[dict[str, Any], str, str]] = []
_unfiled_lock = threading.Lock()


def _hget_each(client: Any, key: str, fields: list[bytes]) -> list[bytes | None]:
    """HGET of each field in one round trip. (HGETALL would do, but kombu adds the key
    prefix only to the commands it lists, and HGET is among them while HGETALL is not.)"""
    pipe = client.pipeline()
    for name in fields:
        pipe.hget(key, name)
    return pipe.execute()


class QoS(kombu_redis.QoS):
    """Ack emulation that records each message's holder and frees those of gone holders."""

    channel: Channel

    def append(self, message: Any, delivery_tag: str) -> None:
        """Record the holder (saying it is alive) before kombu files the message as unacked;
        keep the message for giving back when Redis is gone before it is filed."""
        try:
            with self.channel.conn_or_acquire() as client:
                client.pipeline().zadd(CONSUMERS_KEY, {self.channel.consumer_id: time.time()}).hset(
                    OWNERS_KEY, delivery_tag, self.channel.consumer_id
                ).execute()
            super().append(message, delivery_tag)
        except self.channel.connection_errors:
            delivery = message.delivery_info
            with _unfiled_lock:
                _unfiled.append((message._raw, delivery["exchange"], delivery["routing_key"]))
            raise

    def give_back_unfiled(self) -> int:
        """Push the messages Redis lost track of mid-delivery back onto their queues."""
        with _unfiled_lock:
            if not _unfiled:
                return 0
            with self.channel.conn_or_acquire() as client:
                pipe = client.pipeline()
                for payload, exchange, routing_key in _unfiled:
                    self.channel._do_restore_message(payload, exchange, routing_key, pipe)
                pipe.execute()
            count = len(_unfiled)
            _unfiled.clear()
        log.warning("gave back %d messages taken off a queue as Redis went away", count)
        return count

    def _remove_from_indices(self, delivery_tag: str, pipe: Any = None) -> Any:
        """Forget the holder wherever kombu forgets the message (ack, reject, restore)."""
        return super()._remove_from_indices(delivery_tag, pipe).hdel(OWNERS_KEY, delivery_tag)

    def restore_visible(self, start: int = 0, num: int = 10, interval: int = 10) -> None:
        """kombu's periodic pass for expired messages, then the same for gone holders and for
        messages lost track of mid-delivery."""
        super().restore_visible(start, num, interval)
        self.restore_from_gone_consumers()
        self.give_back_unfiled()

    def restore_from_gone_consumers(self) -> int:
        """Say this connection's channels are alive; give back what silent ones hold."""
        with self.channel.conn_or_acquire() as client:
            now = time.time()
            since = now - self.channel.consumer_timeout
            # kombu runs this pass on one consuming channel of the connection, not always the
            # one that takes tasks (Celery's remote control consumes too): beat for them all.
            alive_ids = {c.consumer_id for c in self.channel.connection.channels if not c.closed}
            client.zadd(CONSUMERS_KEY, dict.fromkeys({self.channel.consumer_id, *alive_ids}, now))
            tags = client.zrange(self.unacked_index_key, 0, -1)
            if not tags:
                return 0
            owners = _hget_each(client, OWNERS_KEY, tags)
            alive = set(client.zrange(CONSUMERS_KEY, since, "+inf", byscore=True))
            # A message without a holder (an older version's) is left to the timeout.
            held = zip(tags, owners, strict=True)
            gone = [tag for tag, owner in held if owner is not None and owner not in alive]
            for tag in gone:
                self.restore_by_tag(tag, client)
            silent = client.zrange(CONSUMERS_KEY, "-inf", since, byscore=True)
            if silent:
                client.zrem(CONSUMERS_KEY, *silent)
        if gone:
            log.warning("gave back %d messages held by consumers gone silent", len(gone))
        return len(gone)


class Channel(kombu_redis.Channel):
    """A Redis channel with an id of its own, under which it holds the messages it is given."""

    QoS = QoS

    #: Seconds of silence after which a channel counts as gone and its messages come back.
    consumer_timeout: float = DEFAULT_CONSUMER_TIMEOUT

    from_transport_options = (*kombu_redis.Channel.from_transport_options, "consumer_timeout")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consumer_timeout = float(self.consumer_timeout)
        self.consumer_id = uuid.uuid4().hex

    def held_messages(self) -> list[dict[str, Any]]:
        """Every message delivered to a consumer and not yet acknowledged, as stored."""
        with self.conn_or_acquire() as client:
            tags = client.zrange(self.unacked_index_key, 0, -1)
            stored = _hget_each(client, self.unacked_key, tags)
        return [json.loads(value)[0] for value in stored if value is not None]

    def close(self) -> None:
        """Stop counting as alive, then close as kombu does (which gives back what it holds)."""
        if not self.closed:
            try:
                with self.conn_or_acquire() as client:
                    client.zrem(CONSUMERS_KEY, self.consumer_id)
            except self.connection_errors:
                log.debug("Redis unreachable while closing; this channel goes silent instead")
        super().close()


class Transport(kombu_redis.Transport):
    """kombu's Redis transport with :class:`Channel`."""

    Channel = Channel
