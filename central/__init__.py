"""The reference central server for 乐业西青 kiosks (FastAPI), never bundled into a kiosk.

It receives what residents submitted at the stations, publishes the catalogue streams (jobs,
policy packs, announcements, station settings) and answers resident-facts lookups. The
protocol is in docs/sync-protocol.md; the server's OpenAPI schema says the same in detail.
"""
