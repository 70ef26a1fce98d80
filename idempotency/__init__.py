"""Safe retries: a submit repeated with the same idempotency key is answered once.

A double tap, or a form sent again after the connection dropped, must never create a second
record. Every create form carries a key made when it was rendered (`{% idempotency_field %}`);
API clients send an `Idempotency-Key` header on POST. `service.run_once` runs the request the
first time and answers every repeat with that first answer (see its docstring for how).
"""
