"""Issue 11: job fairs and other events, live-stream hiring, training courses, the 创业 project
and mentor libraries, and district announcements — catalogue streams pulled by the sync layer,
resident sign-ups pushed through the outbox. Qt-free; the screens live in ui/screens.

Modules: model (dataclasses), formats (stream JSON), catalogue (reading), submissions
(sign-ups), slips (receipts), demo (the demo month).
"""
