"""Fan-out through a queue: ``digest send`` queues an edition's recipients in
batches on Redis and ``digest worker`` processes (on any number of machines that
share the store) send them, with Dramatiq as the task engine.

* :mod:`.broker`: the Redis broker, the batch task's name and options, queueing;
* :mod:`.worker`: the worker processes (``digest worker``): each takes batches,
  hands them to :meth:`Digest.send_batch <digest.app.fanout.FanOut.send_batch>`
  (claims in the delivery log, then the configured sender) and acknowledges a
  batch only when it returns (late acknowledgement).

Nothing here is imported unless ``[queue]`` is configured and used: the
single-process path needs neither Dramatiq nor Redis.
"""
