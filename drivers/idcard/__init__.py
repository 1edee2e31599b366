"""Second-generation ID card readers (GA 467 SAM over a serial line).

Layers, bottom up: ``codec`` (frames, status words; pure), ``commands`` (what the kiosk sends
and time budgets), ``layouts`` + ``tables`` (the text block → :class:`IdCard`), ``transport``
(pyserial, one reply per command), ``reader`` (the ``idcard-reader`` thread and its handler)
and ``simulator`` (the same protocol on a pty, with fault injection). Import the submodule
you need; this package imports nothing so that ``import drivers.idcard`` stays free.
"""
