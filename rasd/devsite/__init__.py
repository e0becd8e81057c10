"""Fixture outlets on 127.0.0.1, so that crawls, recordings and the daemon run with no network.

`server` is the HTTP server, `site` the seed site it serves for `make site` (and its registry),
`outlets` synthetic outlets that behave like the real Arabic press. Tests and benchmarks use
the same parts; `python -m rasd.devsite` serves the seed site by hand.
"""
